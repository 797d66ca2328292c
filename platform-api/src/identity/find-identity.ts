import type { Knex } from '@solar/common';
import type { IdentityRow } from './identity.js';

/** The identity row (with its password hash) for an already-normalised email in one tenant. */
export async function findIdentityByEmail(
  db: Knex,
  tenantId: string,
  email: string,
): Promise<IdentityRow | undefined> {
  return db<IdentityRow>('identities')
    .select('id', 'tenant_id', 'email', 'display_name', 'password_hash', 'status')
    .where({ tenant_id: tenantId, email })
    .first();
}
