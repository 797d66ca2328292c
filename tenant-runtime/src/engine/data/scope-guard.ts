import type { Knex } from '@solar/common';

/** Marks a query built by the data-access layer; the guard lets marked queries through. */
export const ROW_SCOPE_APPLIED = Symbol('row scope applied');
export const scopedQueryContext = Object.freeze({ [ROW_SCOPE_APPLIED]: true });

/** A query reached a row-scoped table without the data-access layer: a bug that would leak rows. */
export class RowScopeBypassed extends Error {
  constructor(sql: string) {
    super(`query on a row-scoped table bypassed the data-access layer: ${sql.slice(0, 300)}`);
    this.name = 'RowScopeBypassed';
  }
}

const STATEMENT = /^[\s(]*(select|update|delete|insert|replace|with)\b/i;
const guarded = new WeakSet<Knex>();

/**
 * Outside production, makes every SELECT/INSERT/UPDATE/DELETE on a row-scoped table that the data-access
 * layer did not build fail loudly instead of silently returning (or changing) every row. It listens on the
 * pool's knex `query` event, which fires before the SQL is sent (for transactions too), and throws there.
 * References qualified with another schema are left to MySQL, which refuses them for a tenant user anyway.
 */
export function guardScopedTables(db: Knex, tables: readonly string[]): void {
  if (guarded.has(db) || tables.length === 0) return;
  guarded.add(db);
  const names = tables.map((t) => t.replace(/[^a-z0-9_]/g, '')).join('|');
  // a table name as a whole identifier, bare or `quoted`, not qualified by another schema (`x`.leads)
  const reference = new RegExp(`(?<![\\w.\`])\`?(?:${names})\`?(?![\\w\`])`, 'i');
  db.on('query', (q: { sql?: string; queryContext?: Record<symbol, unknown> }) => {
    if (q.queryContext?.[ROW_SCOPE_APPLIED] === true || typeof q.sql !== 'string') return;
    if (STATEMENT.test(q.sql) && reference.test(q.sql)) throw new RowScopeBypassed(q.sql);
  });
}

/**
 * Wraps a pool source (anything with `get(…) → Knex`, e.g. TenantPools) so every pool it hands out is
 * guarded. The rest of its surface passes through untouched.
 */
export function guardPools<P extends { get(...args: never[]): Knex }>(
  pools: P,
  tables: readonly string[],
): P {
  return new Proxy(pools, {
    get(target, prop) {
      if (prop !== 'get') return Reflect.get(target, prop, target) as unknown;
      return (...args: never[]) => {
        const db = target.get(...args);
        guardScopedTables(db, tables);
        return db;
      };
    },
  });
}
