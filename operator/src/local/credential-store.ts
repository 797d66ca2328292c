import { open, seal, type Knex } from '@solar/common';
import type { CredentialStore } from '../reconciler/types.js';

/**
 * Tenant DB passwords sealed in platform.tenants.db_password_sealed (AES-256-GCM under the platform key,
 * the tenant id as associated data so a sealed value copied onto another tenant's row will not open).
 */
export function createLocalCredentialStore(platformDb: Knex, secretKey: Buffer): CredentialStore {
  const unseal = (sealed: string | null, tenantId: string): string | null => {
    if (!sealed) return null;
    try {
      return open(sealed, secretKey, tenantId);
    } catch {
      // Never regenerate here: a wrong PLATFORM_SECRET_KEY must surface, not silently rotate every password.
      throw new Error('stored DB password does not open with PLATFORM_SECRET_KEY');
    }
  };
  const tenants = (tenantId: string) => platformDb('tenants').where({ id: tenantId });
  return {
    async get(tenantId) {
      const row = (await tenants(tenantId).first('db_password_sealed')) as
        { db_password_sealed: string | null } | undefined;
      return unseal(row?.db_password_sealed ?? null, tenantId);
    },
    async rotation(tenantId) {
      const row = (await tenants(tenantId).first('db_password_next_sealed', 'db_password_rotated_at')) as
        { db_password_next_sealed: string | null; db_password_rotated_at: Date | null } | undefined;
      return {
        next: unseal(row?.db_password_next_sealed ?? null, tenantId),
        rotatedAt: row?.db_password_rotated_at ?? null,
      };
    },
    async stage(tenantId, password) {
      await tenants(tenantId)
        .whereNull('db_password_next_sealed')
        .update({
          db_password_next_sealed: seal(password, secretKey, tenantId),
          updated_at: platformDb.fn.now(3),
        });
    },
    async promote(tenantId, password) {
      await platformDb.transaction(async (trx) => {
        const row = (await trx('tenants')
          .where({ id: tenantId })
          .forUpdate()
          .first('db_password_next_sealed')) as { db_password_next_sealed: string | null } | undefined;
        if (unseal(row?.db_password_next_sealed ?? null, tenantId) !== password) return;
        // the staged ciphertext moves over as it is: it is already bound to this tenant id
        await trx('tenants')
          .where({ id: tenantId })
          .update({
            db_password_sealed: row!.db_password_next_sealed,
            db_password_next_sealed: null,
            db_password_rotated_at: trx.fn.now(3),
            updated_at: trx.fn.now(3),
          });
      });
    },
    async settle(tenantId) {
      await tenants(tenantId)
        .whereNotNull('db_password_rotated_at')
        .update({ db_password_rotated_at: null, updated_at: platformDb.fn.now(3) });
    },
    async forget(tenantId) {
      await tenants(tenantId)
        .where((w) => w.whereNotNull('db_password_sealed').orWhereNotNull('db_password_next_sealed'))
        .update({
          db_password_sealed: null,
          db_password_next_sealed: null,
          db_password_rotated_at: null,
          updated_at: platformDb.fn.now(3),
        });
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
