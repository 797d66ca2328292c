import type { Knex } from '@solar/common';
import type { IdentityRow } from './identity.js';

const COLUMNS = [
  'id',
  'tenant_id',
  'email',
  'display_name',
  'password_hash',
  'status',
  'mfa_secret_sealed',
  'mfa_enabled_at',
  'mfa_last_step',
];

/** The identity row (with its password hash) for an already-normalised email in one tenant. */
export async function findIdentityByEmail(
  db: Knex,
  tenantId: string,
  email: string,
): Promise<IdentityRow | undefined> {
  return db('identities').first<IdentityRow | undefined>(COLUMNS).where({ tenant_id: tenantId, email });
}

export async function findIdentityById(
  db: Knex,
  tenantId: string,
  id: string,
): Promise<IdentityRow | undefined> {
  return db('identities').first<IdentityRow | undefined>(COLUMNS).where({ tenant_id: tenantId, id });
}
