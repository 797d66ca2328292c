import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createDb, type Knex, type Logger } from '@solar/common';

export interface TenantCredentials {
  tenantId: string;
  schema: string;
  user: string;
  password: string;
}

export interface TenantPools {
  /** The tenant's own pool (its DB user, its schema); created on first use. */
  get(credentials: TenantCredentials): Knex;
  readonly size: number;
  /** Close every pool (shutdown). */
  close(): Promise<void>;
}

interface Entry {
  db: Knex;
  /** fingerprint of the credentials, so a rotated password gets a fresh pool */
  fingerprint: string;
}

/**
 * One knex pool per tenant, each logged in as that tenant's DB user, so MySQL itself refuses any
 * cross-tenant read. Pools are kept in an LRU; the least recently used beyond `maxOpen` is destroyed
 * (knex lets in-flight queries finish first), and idle pools shrink to zero connections.
 */
export function createTenantPools(options: {
  url: string;
  maxPerTenant: number;
  maxOpen: number;
  logger: Logger;
}): TenantPools {
  const closing = new Set<Promise<void>>();
  const destroy = (tenantId: string, entry: Entry, reason: string) => {
    options.logger.debug({ tenant: tenantId, reason }, 'closing tenant pool');
    const p = entry.db.destroy().catch((err: unknown) => {
      options.logger.warn({ tenant: tenantId, err }, 'tenant pool did not close cleanly');
    });
    closing.add(p);
    void p.finally(() => closing.delete(p));
  };
  const pools = new LRUCache<string, Entry>({
    max: options.maxOpen,
    dispose: (entry, tenantId, reason) => destroy(tenantId, entry, reason),
  });

  return {
    get(c) {
      const fingerprint = createHash('sha256').update(`${c.schema}\0${c.user}\0${c.password}`).digest('hex');
      const existing = pools.get(c.tenantId);
      if (existing && existing.fingerprint === fingerprint) return existing.db;
      const db = createDb({
        url: options.url,
        database: c.schema,
        user: c.user,
        password: c.password,
        pool: { min: 0, max: options.maxPerTenant, idleTimeoutMillis: 30_000 },
        label: c.schema,
      });
      pools.set(c.tenantId, { db, fingerprint }); // replaces (and disposes) a pool with stale credentials
      return db;
    },
    get size() {
      return pools.size;
    },
    async close() {
      pools.clear();
      await Promise.all([...closing]);
    },
  };
}
