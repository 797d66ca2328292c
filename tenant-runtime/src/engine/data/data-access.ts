import type { Knex } from '@solar/common';
import type { Caller } from '../context.js';
import { TenantSuspended } from '../errors.js';
import { applyReadScope, assertWriteScope } from './row-scope.js';
import type { TableSpec } from './table.js';

export type Row = Record<string, unknown>;

export interface Page<R> {
  rows: R[];
  hasNextPage: boolean;
}

/**
 * The one tenant-scoped path to the database. Repositories receive it and never create connections;
 * every query it builds carries the caller's row scope, and every write honours the tenant's read-only state.
 */
export interface DataAccess {
  readonly tenantId: string;
  /** `SELECT … FROM table` with row scope applied. Add conditions, order and limits; never remove them. */
  select(table: TableSpec): Knex.QueryBuilder;
  findById(table: TableSpec, id: string): Promise<Row | undefined>;
  count(table: TableSpec, where?: (qb: Knex.QueryBuilder) => void): Promise<number>;
  /** Keyset page on the primary key, newest first (ids are UUIDv7, so id order is creation order). */
  pageNewestFirst(
    table: TableSpec,
    options: { first: number; beforeId?: string; where?: (qb: Knex.QueryBuilder) => void },
  ): Promise<Page<Row>>;
  insert(table: TableSpec, row: Row): Promise<void>;
  /** Runs `fn` in one transaction; the DataAccess it receives is bound to it. */
  transaction<T>(fn: (data: DataAccess) => Promise<T>): Promise<T>;
}

export function createDataAccess(options: {
  db: Knex;
  tenantId: string;
  caller: Caller;
  readOnly: boolean;
}): DataAccess {
  const { db, caller } = options;

  const select = (table: TableSpec) => applyReadScope(db(table.name), table, caller);

  const writable = (table: TableSpec, row: Row) => {
    if (options.readOnly) throw new TenantSuspended();
    assertWriteScope(table, row, caller);
  };

  return {
    tenantId: options.tenantId,
    select,
    async findById(table, id) {
      return (await select(table).where(`${table.name}.id`, id).first()) as Row | undefined;
    },
    async count(table, where) {
      const qb = select(table);
      where?.(qb);
      const result = (await qb.count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(result?.n ?? 0);
    },
    async pageNewestFirst(table, { first, beforeId, where }) {
      const qb = select(table);
      where?.(qb);
      if (beforeId !== undefined) qb.where(`${table.name}.id`, '<', beforeId);
      const rows = (await qb.orderBy(`${table.name}.id`, 'desc').limit(first + 1)) as Row[];
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
    },
    async insert(table, row) {
      writable(table, row);
      await db(table.name).insert(row);
    },
    async transaction(fn) {
      if (options.readOnly) throw new TenantSuspended();
      return db.transaction((trx) => fn(createDataAccess({ ...options, db: trx })));
    },
  };
}
