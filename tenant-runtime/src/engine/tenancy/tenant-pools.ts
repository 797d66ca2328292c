import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createDb, type Knex, type Logger } from '@solar/common';
import { createSharedConnections, type SharedConnections } from './shared-connections.js';
import { tenantConnectionPool } from './tenant-connection-pool.js';

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
  /** physical connections and how they are used (bench, metrics) */
  stats(): { strategy: TenantConnectionStrategy; pools: number; open: number; switches?: number };
  /** Close every pool (shutdown). */
  close(): Promise<void>;
}

/**
 * - `switch-user` (default, chosen by measurement — operator README and tenant-runtime/bench): one bounded
 *   set of physical connections shared by all tenants, each switched to the calling tenant's own DB user
 *   with COM_CHANGE_USER on checkout. Connections held: at most `maxConnections`, whatever the tenant count.
 * - `per-tenant`: one small knex pool per tenant, logged in as that tenant; idle connections close after
 *   `idleTimeoutMs`. Connections held grow with the tenants active within that window.
 * Either way every query runs as the tenant's own DB user, so MySQL refuses cross-tenant reads.
 */
export type TenantConnectionStrategy = 'switch-user' | 'per-tenant';

interface Entry {
  tenantId: string;
  db: Knex;
  /** fingerprint of the credentials, so a rotated password gets a fresh pool */
  fingerprint: string;
}

/**
 * Per-tenant knex instances kept in an LRU (`maxOpen`). A retired one (evicted, or replaced because the
 * tenant's password rotated) is destroyed only after `retireAfterMs`: a request handed it a moment earlier may
 * not have asked it for a connection yet, and a destroyed knex refuses new acquires.
 */
export function createTenantPools(options: {
  url: string;
  maxPerTenant: number;
  maxOpen: number;
  logger: Logger;
  strategy?: TenantConnectionStrategy;
  /** switch-user: physical connections at most, for all tenants together (default 40) */
  maxConnections?: number;
  /** idle connections close after this long (default 30 s) */
  idleTimeoutMs?: number;
  /** grace before a retired per-tenant pool is destroyed (default 10 s) */
  retireAfterMs?: number;
}): TenantPools {
  const strategy = options.strategy ?? 'switch-user';
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const shared: SharedConnections | undefined =
    strategy === 'switch-user'
      ? createSharedConnections({
          url: options.url,
          max: options.maxConnections ?? 40,
          idleTimeoutMs,
          acquireTimeoutMs: 10_000,
          logger: options.logger,
        })
      : undefined;

  const closing = new Set<Promise<void>>();
  const retiring = new Map<Entry, NodeJS.Timeout>();
  const retireAfterMs = options.retireAfterMs ?? 10_000;
  const destroyNow = (entry: Entry) => {
    retiring.delete(entry);
    const p = entry.db.destroy().catch((err: unknown) => {
      options.logger.warn({ tenant: entry.tenantId, err }, 'tenant pool did not close cleanly');
    });
    closing.add(p);
    void p.finally(() => closing.delete(p));
  };
  const retire = (entry: Entry, reason: string) => {
    options.logger.debug({ tenant: entry.tenantId, reason }, 'retiring tenant pool');
    const timer = setTimeout(() => destroyNow(entry), retireAfterMs);
    timer.unref();
    retiring.set(entry, timer);
  };
  const pools = new LRUCache<string, Entry>({
    max: options.maxOpen,
    dispose: (entry, _id, reason) => retire(entry, reason),
  });

  const open = (c: TenantCredentials, fingerprint: string): Knex => {
    if (!shared)
      return createDb({
        url: options.url,
        database: c.schema,
        user: c.user,
        password: c.password,
        pool: { min: 0, max: options.maxPerTenant, idleTimeoutMillis: idleTimeoutMs },
        label: c.schema,
      });
    // max 0: knex makes no pool of its own; it borrows from the shared connections instead
    const db = createDb({
      url: options.url,
      database: c.schema,
      user: c.user,
      password: c.password,
      pool: { min: 0, max: 0 },
      label: c.schema,
    });
    db.client.initializeExternalPool(
      tenantConnectionPool(
        shared,
        { key: fingerprint, user: c.user, password: c.password, database: c.schema },
        options.maxPerTenant,
      ),
    );
    return db;
  };

  return {
    get(c) {
      const fingerprint = createHash('sha256').update(`${c.schema}\0${c.user}\0${c.password}`).digest('hex');
      const existing = pools.get(c.tenantId);
      if (existing && existing.fingerprint === fingerprint) return existing.db;
      const db = open(c, fingerprint);
      pools.set(c.tenantId, { tenantId: c.tenantId, db, fingerprint }); // replaces (and retires) a stale one
      return db;
    },
    get size() {
      return pools.size;
    },
    stats() {
      if (shared) {
        const s = shared.stats();
        return { strategy, pools: pools.size, open: s.open, switches: s.switches };
      }
      let openConnections = 0;
      for (const entry of [...pools.values(), ...retiring.keys()]) {
        const pool = entry.db.client.pool as { numUsed(): number; numFree(): number } | undefined;
        openConnections += pool ? pool.numUsed() + pool.numFree() : 0;
      }
      return { strategy, pools: pools.size, open: openConnections };
    },
    async close() {
      pools.clear();
      for (const [entry, timer] of [...retiring]) {
        clearTimeout(timer);
        destroyNow(entry);
      }
      await Promise.all([...closing]);
      await shared?.destroy();
    },
  };
}
