import { LRUCache } from 'lru-cache';
import { Unavailable, type Knex } from '@solar/common';
import { z } from 'zod';

/** The part of a platform.tenants row the runtime needs to route and connect. */
export const tenantRecordSchema = z.object({
  id: z.string(),
  slug: z.string(),
  phase: z.string(),
  suspended: z.union([z.boolean(), z.number()]).transform(Boolean),
  /** while suspended: ReadOnly (writes refused) or Blocked (everything refused) */
  suspend_mode: z.enum(['ReadOnly', 'Blocked']).default('ReadOnly'),
  db_schema: z.string().nullable(),
  db_user: z.string().nullable(),
  db_password_sealed: z.string().nullable(),
  deleted_at: z.date().nullable(),
});
export type TenantRecord = z.infer<typeof tenantRecordSchema>;

export interface TenantRegistry {
  /** The tenant's registry row, or null if unknown. Cached for `ttlMs`; concurrent lookups share one query. */
  get(tenantId: string): Promise<TenantRecord | null>;
  /** Forget a cached row (e.g. after a lifecycle change was observed). */
  forget(tenantId: string): void;
}

/**
 * Reads the tenant registry (platform.tenants) over the platform pool. Rows are cached briefly so a burst
 * of requests costs one lookup, while suspension or credential rotation takes effect within `ttlMs`.
 */
export function createTenantRegistry(
  platformDb: Knex,
  options: { ttlMs: number; max?: number },
): TenantRegistry {
  const load = async (tenantId: string): Promise<TenantRecord | null> => {
    let row: unknown;
    try {
      row = await platformDb('tenants')
        .select(
          'id',
          'slug',
          'phase',
          'suspended',
          'suspend_mode',
          'db_schema',
          'db_user',
          'db_password_sealed',
          'deleted_at',
        )
        .where({ id: tenantId })
        .first();
    } catch {
      throw new Unavailable('The tenant registry is unreachable; try again shortly');
    }
    return row === undefined ? null : tenantRecordSchema.parse(row);
  };

  if (options.ttlMs <= 0) return { get: load, forget: () => {} };

  // lru-cache cannot hold null, so "unknown tenant" is cached as an empty box
  const cache = new LRUCache<string, { record: TenantRecord | null }>({
    max: options.max ?? 10_000,
    ttl: options.ttlMs,
    fetchMethod: async (tenantId) => ({ record: await load(tenantId) }),
  });
  return {
    async get(tenantId) {
      const hit = await cache.fetch(tenantId);
      return hit?.record ?? null;
    },
    forget(tenantId) {
      cache.delete(tenantId);
    },
  };
}
