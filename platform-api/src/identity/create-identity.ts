import { randomUUID } from 'node:crypto';
import { ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { findIdentityByEmail } from './find-identity.js';
import { emailSchema, toIdentity, type Identity } from './identity.js';
import { hashPassword } from './password-hash.js';
import { MIN_PASSWORD_LENGTH, assertPasswordAllowed } from './password-policy.js';

export const createIdentityInputSchema = z.object({
  tenantId: z.string().min(1).max(20),
  email: emailSchema,
  displayName: z.string().trim().min(1).max(200),
  password: z
    .string()
    .min(MIN_PASSWORD_LENGTH, { message: `must be at least ${MIN_PASSWORD_LENGTH} characters` })
    .max(1024),
});
export type CreateIdentityInput = z.input<typeof createIdentityInputSchema>;

/**
 * Creates a password identity in a tenant; the password must pass the password policy. Idempotent by tenant + email: when the identity exists it is
 * returned unchanged (its password is not reset), so seeding can run on every start.
 */
export async function createIdentity(db: Knex, input: CreateIdentityInput): Promise<Identity> {
  const parsed = createIdentityInputSchema.safeParse(input);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { tenantId, email, displayName, password } = parsed.data;

  const existing = await findIdentityByEmail(db, tenantId, email);
  if (existing) return toIdentity(existing);
  const tenant = await db('tenants')
    .first<{ slug: string; display_name: string } | undefined>('slug', 'display_name')
    .where({ id: tenantId });
  await assertPasswordAllowed(password, {
    email,
    tenantSlug: tenant?.slug,
    tenantName: tenant?.display_name,
  });

  const row = {
    id: randomUUID(),
    tenant_id: tenantId,
    email,
    display_name: displayName,
    password_hash: await hashPassword(password),
    status: 'active' as const,
  };
  try {
    await db('identities').insert(row);
    return toIdentity(row);
  } catch (err) {
    // Lost a race with a concurrent seed of the same person: theirs stands.
    if ((err as { code?: string }).code !== 'ER_DUP_ENTRY') throw err;
    const winner = await findIdentityByEmail(db, tenantId, email);
    if (!winner) throw err;
    return toIdentity(winner);
  }
}
