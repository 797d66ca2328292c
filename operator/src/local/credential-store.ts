import { open, seal, type Knex } from '@solar/common';
import type { CredentialStore } from '../reconciler/types.js';

/**
 * Tenant DB passwords sealed in platform.tenants.db_password_sealed (AES-256-GCM under the platform key,
 * the tenant id as associated data so a sealed value copied onto another tenant's row will not open).
 */
export function createLocalCredentialStore(platformDb: Knex, secretKey: Buffer): CredentialStore {
  return {
    async get(tenantId) {
      const row = (await platformDb('tenants').where({ id: tenantId }).first('db_password_sealed')) as
        { db_password_sealed: string | null } | undefined;
      if (!row?.db_password_sealed) return null;
      try {
        return open(row.db_password_sealed, secretKey, tenantId);
      } catch {
        // Never regenerate here: a wrong PLATFORM_SECRET_KEY must surface, not silently rotate every password.
        throw new Error('stored DB password does not open with PLATFORM_SECRET_KEY');
      }
    },
    async put(tenantId, password) {
      // fills an empty slot only: a concurrent operator's password wins and both re-read it
      await platformDb('tenants')
        .where({ id: tenantId })
        .whereNull('db_password_sealed')
        .update({
          db_password_sealed: seal(password, secretKey, tenantId),
          updated_at: platformDb.fn.now(3),
        });
    },
  };
}
