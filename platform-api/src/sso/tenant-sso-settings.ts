import { NotFound, ValidationFailed, open, seal, type Knex } from '@solar/common';
import { z } from 'zod';

/**
 * A workspace's SSO settings, for the platform GraphQL / settings screens: read, write, switch off. The client
 * secret is write-only: it is sealed on the way in (tenant id as associated data, so a sealed value copied to
 * another tenant's row does not open) and no function here ever returns it.
 */

const hostname = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'must be a domain such as acme-solar.com',
  });

/** Role keys as the tenant runtime names them (admin, sales_rep, …). */
export const roleKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be a role key' });

/** Input of setTenantSso; `allowInsecureIssuer` lets http:// issuers through (tests and local mode only). */
export function tenantSsoInputSchema(options: { allowInsecureIssuer: boolean }) {
  return z.object({
    issuer: z
      .string()
      .trim()
      .max(255)
      .pipe(z.url({ message: 'must be a URL' }))
      .refine(
        (v) => {
          const u = URL.parse(v);
          return u?.protocol === 'https:' || (options.allowInsecureIssuer && u?.protocol === 'http:');
        },
        { message: options.allowInsecureIssuer ? 'must be an http(s) URL' : 'must be an https URL' },
      )
      .refine(
        (v) => {
          // refinements still run after a failed URL check, so nothing here may assume a valid URL
          const u = URL.parse(v);
          return !u || (!u.search && !u.hash && !u.username && !u.password);
        },
        { message: 'must not carry a query, fragment or credentials' },
      ),
    clientId: z.string().trim().min(1, { message: 'is required' }).max(255),
    /** write-only; required the first time and whenever the issuer or client id changes */
    clientSecret: z.string().min(1, { message: 'is required' }).max(2048).optional(),
    allowedEmailDomains: z
      .array(hostname)
      .min(1, { message: 'name at least one domain' })
      .max(50)
      .transform((list) => [...new Set(list)]),
    defaultRole: roleKeySchema,
    enabled: z.boolean().default(true),
  });
}
export type TenantSsoInput = z.input<ReturnType<typeof tenantSsoInputSchema>>;

/** What an admin sees: everything but the secret. */
export interface TenantSsoView {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientSecretSet: true;
  allowedEmailDomains: string[];
  defaultRole: string;
  enabled: boolean;
  updatedAt: string;
}

/** What the sign-in flow needs, secret opened. Never leaves this process. */
export interface TenantSsoClient {
  tenantId: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  allowedEmailDomains: string[];
  defaultRole: string;
}

interface Row {
  tenant_id: string;
  issuer: string;
  client_id: string;
  client_secret_sealed: string;
  allowed_email_domains: string | string[];
  default_role: string;
  enabled: number | boolean;
  updated_at: Date;
}

export interface SsoSettingsDeps {
  db: Knex;
  /** PLATFORM_SECRET_KEY, parsed */
  secretKey: Buffer;
  /** true outside production: http:// issuers accepted */
  allowInsecureIssuer: boolean;
}

export async function getTenantSso(db: Knex, tenantId: string): Promise<TenantSsoView | null> {
  const row = await findRow(db, tenantId);
  return row ? toView(row) : null;
}

/** Creates or replaces the tenant's SSO settings. Throws ValidationFailed (field-level) or NotFound. */
export async function setTenantSso(
  deps: SsoSettingsDeps,
  tenantId: string,
  input: TenantSsoInput,
): Promise<TenantSsoView> {
  const parsed = tenantSsoInputSchema(deps).safeParse(input);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const value = parsed.data;
  const tenant = await deps.db('tenants').first('id').where({ id: tenantId }).whereNull('deleted_at');
  if (!tenant) throw new NotFound('No such tenant');

  const existing = await findRow(deps.db, tenantId);
  const sameClient = existing && existing.issuer === value.issuer && existing.client_id === value.clientId;
  if (value.clientSecret === undefined && !sameClient)
    throw new ValidationFailed({ clientSecret: ['is required for a new provider or client id'] });

  const sealed =
    value.clientSecret !== undefined
      ? seal(value.clientSecret, deps.secretKey, tenantId)
      : (existing as Row).client_secret_sealed;
  const columns = {
    issuer: value.issuer,
    client_id: value.clientId,
    client_secret_sealed: sealed,
    allowed_email_domains: JSON.stringify(value.allowedEmailDomains),
    default_role: value.defaultRole,
    enabled: value.enabled,
    updated_at: new Date(),
  };
  await deps
    .db('tenant_sso')
    .insert({ tenant_id: tenantId, ...columns })
    .onConflict('tenant_id')
    .merge(columns);
  return toView((await findRow(deps.db, tenantId)) as Row);
}

/** Switches SSO off (settings kept, so switching it on again needs no secret). Null when none was set. */
export async function disableTenantSso(db: Knex, tenantId: string): Promise<TenantSsoView | null> {
  await db('tenant_sso').where({ tenant_id: tenantId }).update({ enabled: false, updated_at: new Date() });
  return getTenantSso(db, tenantId);
}

/** The enabled SSO client of a tenant with its secret opened; null when SSO is off or not configured. */
export async function loadTenantSsoClient(
  db: Knex,
  secretKey: Buffer,
  tenantId: string,
): Promise<TenantSsoClient | null> {
  const row = await findRow(db, tenantId);
  if (!row || !row.enabled) return null;
  return {
    tenantId,
    issuer: row.issuer,
    clientId: row.client_id,
    // throws if the row was tampered with or copied from another tenant: better no SSO than the wrong one
    clientSecret: open(row.client_secret_sealed, secretKey, tenantId),
    allowedEmailDomains: domains(row),
    defaultRole: row.default_role,
  };
}

function findRow(db: Knex, tenantId: string): Promise<Row | undefined> {
  return db('tenant_sso').first<Row | undefined>('*').where({ tenant_id: tenantId });
}

function domains(row: Row): string[] {
  const raw: unknown =
    typeof row.allowed_email_domains === 'string'
      ? JSON.parse(row.allowed_email_domains)
      : row.allowed_email_domains;
  return z.array(z.string()).parse(raw);
}

function toView(row: Row): TenantSsoView {
  return {
    tenantId: row.tenant_id,
    issuer: row.issuer,
    clientId: row.client_id,
    clientSecretSet: true,
    allowedEmailDomains: domains(row),
    defaultRole: row.default_role,
    enabled: Boolean(row.enabled),
    updatedAt: row.updated_at.toISOString(),
  };
}
