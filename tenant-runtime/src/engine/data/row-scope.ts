import type { Knex } from '@solar/common';
import type { Caller } from '../context.js';
import type { TableSpec } from './table.js';

/**
 * THE place where row-level security is applied. Every read (get, list, count, search) and every write goes
 * through data-access.ts, which calls these two functions; nothing else in the runtime builds a scoped query.
 *
 * Today the scope is the tenant, and that is enforced by the connection itself (the pool is logged in as the
 * tenant's DB user, which can see its own schema only), so there is nothing to add to the SQL.
 * Org-hierarchy scopes plug in here: resolve the caller's grant for `<table>:read` to own | unit | subtree | all
 * and add `where owner_id = caller` / `where unit_id in (caller's units)` / `… in (unit subtree)` / nothing.
 */
export function applyReadScope(qb: Knex.QueryBuilder, _table: TableSpec, _caller: Caller): Knex.QueryBuilder {
  return qb;
}

/** Same hook for writes: will refuse inserting/updating rows outside the caller's scope. */
export function assertWriteScope(_table: TableSpec, _row: Record<string, unknown>, _caller: Caller): void {}
