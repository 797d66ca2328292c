import type { Knex } from '@solar/common';
import type { StatusWriter } from '../reconciler/types.js';

const MAX_ERROR = 2000;

/** Observed status into platform.tenants (the endpoint column belongs to the route table). */
export function createLocalStatusWriter(platformDb: Knex): StatusWriter {
  return {
    async write(tenant, status) {
      await platformDb('tenants')
        .where({ id: tenant.id })
        .update({
          phase: status.phase,
          observed_generation: status.observedGeneration,
          conditions: JSON.stringify(status.conditions),
          db_schema: status.database?.schema ?? null,
          db_user: status.database?.user ?? null,
          schema_version: status.schemaVersion,
          last_error: status.lastError?.slice(0, MAX_ERROR) ?? null,
          updated_at: platformDb.fn.now(3),
        });
    },
    async finalize(tenant) {
      await platformDb.transaction(async (trx) => {
        // custom domains are freed for whoever verifies them next; the row stays, soft-deleted
        await trx('tenant_domains').where({ tenant_id: tenant.id }).delete();
        await trx('tenants')
          .where({ id: tenant.id })
          .whereNull('deleted_at')
          .update({ deleted_at: trx.fn.now(3), updated_at: trx.fn.now(3) });
      });
    },
  };
}
