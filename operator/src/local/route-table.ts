import type { Knex } from '@solar/common';
import type { RouteTable } from '../reconciler/types.js';

/** The routing entry platform-api forwards by: platform.tenants.endpoint. */
export function createLocalRouteTable(platformDb: Knex): RouteTable {
  return {
    async lookup(tenantId) {
      const row = (await platformDb('tenants').where({ id: tenantId }).first('endpoint')) as
        { endpoint: string | null } | undefined;
      return row?.endpoint ?? null;
    },
    async publish(tenantId, endpoint) {
      await platformDb('tenants')
        .where({ id: tenantId })
        .update({ endpoint, updated_at: platformDb.fn.now(3) });
    },
    async withdraw(tenantId) {
      await platformDb('tenants')
        .where({ id: tenantId })
        .whereNotNull('endpoint')
        .update({ endpoint: null, updated_at: platformDb.fn.now(3) });
    },
  };
}
