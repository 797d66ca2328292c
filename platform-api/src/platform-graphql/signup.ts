import { randomInt } from 'node:crypto';
import { Conflict, Unavailable, ValidationFailed, type Knex, type Logger } from '@solar/common';
import { z } from 'zod';
import { createIdentity } from '../identity/create-identity.js';
import { emailSchema } from '../identity/identity.js';
import { passwordProblems } from '../identity/password-policy.js';
import { SLUG_PATTERN } from '../tenancy/tenant-registry.js';
import type { DriverTenant, TenantDriver } from './tenant-driver.js';

/** Names that are ours (hosts, paths, brands) and so never a tenant's subdomain. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  'www',
  'api',
  'app',
  'admin',
  'platform',
  'auth',
  'login',
  'signup',
  'status',
  'mail',
  'docs',
  'help',
  'support',
  'static',
  'assets',
  'cdn',
  'internal',
  'operator',
  'graphql',
  'billing',
]);

export const signupInputSchema = z.object({
  companyName: z.string().trim().min(1).max(200),
  slug: z
    .string()
    .trim()
    .toLowerCase()
    .regex(SLUG_PATTERN, {
      message: 'must be a DNS label: 3-40 lower-case letters, digits or dashes, starting with a letter',
    })
    .refine((s) => !RESERVED_SLUGS.has(s), { message: 'is reserved' }),
  adminEmail: emailSchema,
  adminName: z.string().trim().min(1).max(200),
  password: z.string().max(1024),
});
export type SignupInput = z.input<typeof signupInputSchema>;

export interface SignupResult {
  tenant: DriverTenant;
  ownerIdentityId: string;
}

export interface SignupDeps {
  db: Knex;
  driver: TenantDriver;
  log: Logger;
}

/**
 * Self-service signup: validates everything first (all field errors at once), provisions the tenant through
 * the operator's driver, then creates its first admin and records them as owner. When provisioning or the
 * admin fails, the tenant is deleted again (policy Delete) so the slug is free and nothing is left behind.
 */
export async function signup(deps: SignupDeps, input: SignupInput): Promise<SignupResult> {
  const parsed = signupInputSchema.safeParse(input);
  const fields = parsed.success ? {} : ValidationFailed.fromZod(parsed.error).fields;
  const raw = input as Partial<Record<keyof SignupInput, unknown>>;
  const problems = await passwordProblems(String(raw.password ?? ''), {
    email: String(raw.adminEmail ?? ''),
    tenantSlug: String(raw.slug ?? ''),
    tenantName: String(raw.companyName ?? ''),
  });
  if (problems.length) fields.password = [...(fields.password ?? []), ...problems];
  if (!parsed.success || Object.keys(fields).length) throw new ValidationFailed(fields);
  const { companyName, slug, adminEmail, adminName, password } = parsed.data;

  // Claim the slug with our own row first: the unique key settles concurrent signups atomically, and from
  // here on the row is ours to provision or remove (the driver's apply upserts by slug and would not refuse).
  const id = newTenantId();
  try {
    await deps
      .db('tenants')
      .insert({ id, slug, display_name: companyName, plan: 'starter', deletion_policy: 'Delete' });
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
      throw new Conflict(`The address ${slug} is already taken`);
    throw err;
  }

  try {
    const tenant = await deps.driver.apply(
      { slug, displayName: companyName, plan: 'starter', deletionPolicy: 'Delete' },
      { id },
    );
    if (tenant.status.phase !== 'Ready') {
      deps.log.warn(
        { tenant: id, phase: tenant.status.phase, err: tenant.status.lastError },
        'signup provisioning failed',
      );
      throw new Unavailable('We could not set up your workspace just now; please try again');
    }
    const owner = await createIdentity(deps.db, {
      tenantId: id,
      email: adminEmail,
      displayName: adminName,
      password,
    });
    await deps.db('tenants').where({ id }).update({ owner_identity_id: owner.id });
    deps.log.info({ tenant: id, slug }, 'tenant signed up');
    return { tenant, ownerIdentityId: owner.id };
  } catch (err) {
    await undoSignup(deps, id, slug).catch((undoErr: unknown) =>
      deps.log.error({ err: undoErr, tenant: id }, 'signup clean-up failed; the tenant needs manual removal'),
    );
    throw err;
  }
}

/** Tenant ids: 12 lower-case letters/digits (the schema and DB user are t_<id>). */
function newTenantId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let id = '';
  for (let i = 0; i < 12; i++) id += alphabet[randomInt(alphabet.length)];
  return id;
}

/** Drops whatever provisioning created (policy Delete), then our registry row, freeing the slug. */
async function undoSignup(deps: SignupDeps, id: string, slug: string): Promise<void> {
  const rec = await deps.driver.get(slug);
  if (rec && rec.id === id && !rec.deletedAt) {
    const gone = await deps.driver.delete(slug);
    if (!gone.deletedAt)
      throw new Error(`tenant ${slug} was not deleted: ${gone.status.lastError ?? gone.status.phase}`);
  }
  await deps.db('tenants').where({ id }).delete();
}
