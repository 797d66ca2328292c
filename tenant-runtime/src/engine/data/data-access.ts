import { Forbidden, NotFound, type Knex } from '@solar/common';
import { TenantSuspended } from '../errors.js';
import { applyScope, planPage, type ScopePart } from './row-scope.js';
import {
  intersect,
  isEmptyScope,
  rowVisible,
  rowWritable,
  type Action,
  type Actor,
  type Scope,
} from './scope.js';
import { OutOfScope } from './scope-errors.js';
import { scopedQueryContext } from './scope-guard.js';
import { isScoped, type ScopedTableSpec, type TableSpec } from './table.js';

export type Row = Record<string, unknown>;
type Where = (qb: Knex.QueryBuilder) => void;

/** What writes did to one row: the changed fields before and after (created: before null; deleted: after null). */
export interface RowChange {
  before: Row | null;
  after: Row | null;
}
/** The changes a transaction's writes made, by row id, until recordEvent takes them for the audit log. */
type Journal = Map<string, RowChange>;

/** Adds `change` to what is already noted for the row: the earliest before, the latest after. */
function note(journal: Journal, id: string, change: RowChange): void {
  const prev = journal.get(id);
  journal.set(
    id,
    !prev
      ? change
      : {
          before: prev.before === null ? null : { ...change.before, ...prev.before },
          after: change.after === null ? null : { ...prev.after, ...change.after },
        },
  );
}

/** A row's values as they can be recorded: SQL expressions (knex Raw, e.g. a counter + 1) are left out. */
const recordable = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).filter(
      ([, v]) => !(v && typeof v === 'object' && typeof (v as { toSQL?: unknown }).toSQL === 'function'),
    ),
  );

/** Columns every write touches; their change tells an auditor nothing. */
const UNAUDITED = new Set(['updated_at']);
const same = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date
    ? a.getTime() === b.getTime()
    : JSON.stringify(a) === JSON.stringify(b);

export interface Page<R> {
  rows: R[];
  hasNextPage: boolean;
}

/**
 * The one tenant-scoped path to the database. Repositories receive it and never create connections. On a
 * row-scoped table (one with a `resource`) every query it builds carries the caller's scope for the action:
 * reads see only what `<resource>:read` reaches (hidden rows are simply absent: not found, never forbidden);
 * writes must start from a row the action reaches and leave it where the action reaches. Every write
 * honours the tenant's read-only state.
 */
export interface DataAccess {
  readonly tenantId: string;
  readonly actor: Actor;
  /** `SELECT … FROM table` with the read scope (∩ `action`'s scope) applied. Add conditions; never remove them. */
  select(table: TableSpec, action?: Action): Knex.QueryBuilder;
  findById(table: TableSpec, id: string): Promise<Row | undefined>;
  /**
   * Whether the caller could read a row holding these owner and unit values: for rows that are gone (a
   * deletion's event), which no query can re-read.
   */
  couldRead(table: TableSpec, row: Row): boolean;
  count(table: TableSpec, where?: Where): Promise<number>;
  /** Counts per value of `column` among the rows the caller can read. */
  countBy(table: TableSpec, column: string, where?: Where): Promise<Array<{ value: unknown; n: number }>>;
  /** Keyset page on the primary key, newest first (ids are UUIDv7, so id order is creation order). */
  pageNewestFirst(
    table: TableSpec,
    options: { first: number; beforeId?: string; where?: Where },
  ): Promise<Page<Row>>;
  /** Rows for an export: read ∩ export scope, newest first, at most `limit`. Forbidden without any export right. */
  exportRows(table: TableSpec, options: { limit: number; where?: Where }): Promise<Row[]>;
  /** Inserts a row; on a scoped table it must land within the create scope (unit defaults to the actor's team). */
  insert(table: TableSpec, row: Row): Promise<void>;
  /**
   * Changes one row. Not visible → NotFound; visible but outside `action`'s scope → Forbidden; the changed
   * row outside that scope (or a new owner outside it) → OutOfScope. Returns the row as stored.
   */
  update(table: TableSpec, id: string, patch: Row, action?: 'update' | 'assign'): Promise<Row>;
  /**
   * Deletes one row, with the same rules as update for the `delete` action. Returns the row as it was, so the
   * caller can say in its event who could see it (a `.deleted` event cannot be re-read later).
   */
  delete(table: TableSpec, id: string): Promise<Row>;
  /** A table without row scope (members, org units, audit log…); refuses scoped tables. */
  unscoped(tableName: string): Knex.QueryBuilder;
  /** Runs `fn` in one transaction; the DataAccess it receives is bound to it. */
  transaction<T>(fn: (data: DataAccess, trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /**
   * What this transaction's writes did to the row `id` (see RowChange), handed over once: recordEvent
   * stores it with the event, for the audit log's before and after.
   */
  takeChanges(id: string): RowChange | undefined;
}

export interface DataAccessOptions {
  db: Knex;
  tenantId: string;
  actor: Actor;
  readOnly: boolean;
  /** names of every row-scoped table, so `unscoped()` cannot be pointed at one */
  scopedTables?: readonly string[];
}

interface BindOptions extends DataAccessOptions {
  journal?: Journal;
}

export function createDataAccess(options: DataAccessOptions): DataAccess {
  return bind(options).data;
}

/** The layer bound to one connection (the pool, or a transaction), with its internal helpers. */
interface Bound {
  data: DataAccess;
  journal: Journal;
  select(table: TableSpec, action?: Action): Knex.QueryBuilder;
  loadForWrite(table: ScopedTableSpec, id: string, action: Action): Promise<[Row, Scope]>;
}

function bind(options: BindOptions): Bound {
  const { db, actor } = options;
  const journal: Journal = options.journal ?? new Map();
  /**
   * Runs `fn` in a new transaction with its own journal; what it noted and did not hand to an event joins
   * this binding's journal on commit, and is dropped with a rollback.
   */
  const transact = async <T>(fn: (trx: Knex.Transaction, own: Journal) => Promise<T>): Promise<T> => {
    const own: Journal = new Map();
    const result = await db.transaction((trx) => fn(trx, own));
    for (const [id, change] of own) note(journal, id, change);
    return result;
  };
  const me = actor.memberId;
  const scopedNames = new Set(options.scopedTables ?? []);

  const scopeOf = (table: ScopedTableSpec, action: Action): Scope =>
    action === 'read'
      ? actor.scope(table.resource, 'read')
      : intersect(actor.scope(table.resource, 'read'), actor.scope(table.resource, action));

  const select = (table: TableSpec, action: Action = 'read') => {
    const qb = db(table.name).queryContext(scopedQueryContext);
    return isScoped(table) ? applyScope(qb, table, scopeOf(table, action), me) : qb;
  };

  const writable = () => {
    if (options.readOnly) throw new TenantSuspended();
  };

  /** The new owner of a row written under `scope` must be an active member the scope reaches. */
  const checkOwner = async (table: ScopedTableSpec, before: Row | undefined, after: Row, scope: Scope) => {
    const owner = after[table.ownerColumn];
    if (typeof owner !== 'string' || owner === me || owner === before?.[table.ownerColumn]) return;
    const verdict = await actor.assignable(owner, scope);
    if (verdict === 'no_such_member') throw new OutOfScope('The new owner is not an active member');
    if (verdict === 'out_of_scope') throw new OutOfScope('The new owner works outside your units');
  };

  /** Locks the row for a write: invisible → NotFound; visible but outside the action → Forbidden. */
  const loadForWrite = async (table: ScopedTableSpec, id: string, action: Action): Promise<[Row, Scope]> => {
    const row = (await select(table).where(`${table.name}.id`, id).forUpdate().first()) as Row | undefined;
    if (!row) throw new NotFound('No such record');
    const scope = actor.scope(table.resource, action);
    if (!rowVisible(row, table, scope, me)) throw new Forbidden(`You may not ${action} this record`);
    return [row, scope];
  };

  /** Runs `fn` in a transaction (the current one, if this binding is already inside one). */
  const inTransaction = <T>(fn: (tx: Bound) => Promise<T>): Promise<T> =>
    db.isTransaction ? fn(bound) : transact((trx, own) => fn(bind({ ...options, db: trx, journal: own })));

  const data: DataAccess = {
    tenantId: options.tenantId,
    actor,
    select,
    async findById(table, id) {
      return (await select(table).where(`${table.name}.id`, id).first()) as Row | undefined;
    },
    couldRead(table, row) {
      return !isScoped(table) || rowVisible(row, table, scopeOf(table, 'read'), me);
    },
    async count(table, where) {
      const qb = select(table);
      where?.(qb);
      const result = (await qb.count({ n: '*' }).first()) as { n: number | string } | undefined;
      return Number(result?.n ?? 0);
    },
    async countBy(table, column, where) {
      const qb = select(table);
      where?.(qb);
      const rows = (await qb
        .select({ value: `${table.name}.${column}` })
        .count({ n: '*' })
        .groupBy(`${table.name}.${column}`)) as Array<{ value: unknown; n: number | string }>;
      return rows.map((r) => ({ value: r.value, n: Number(r.n) }));
    },
    async pageNewestFirst(table, { first, beforeId, where }) {
      const id = `${table.name}.id`;
      const page = (qb: Knex.QueryBuilder, key = id) => {
        where?.(qb);
        if (beforeId !== undefined) qb.where(key, '<', beforeId);
        return qb.orderBy(key, 'desc').limit(first + 1);
      };
      const plan = isScoped(table)
        ? planPage(table, scopeOf(table, 'read'), me, actor.ownedUnits?.(table.name))
        : { kind: 'single' as const };
      const t = table.name.replace(/[^a-z0-9_]/g, '');
      /**
       * Where one part of the scope walks: FROM (a subtree root: the table's unit closure, then its rows), the
       * key it walks in id order, and the column its value matches. Names come from table specs, not input.
       */
      const walkOf = (part: ScopePart) =>
        part.kind === 'root'
          ? {
              from: `${part.closure} AS c STRAIGHT_JOIN ${t} ON ${t}.id = c.row_id`,
              idsOnly: `${part.closure} AS c`,
              key: 'c.row_id',
              match: 'c.unit_id',
              value: part.unitId,
            }
          : {
              from: t,
              idsOnly: t,
              key: id,
              match: `${t}.${part.kind === 'unit' ? table.unitColumn! : table.ownerColumn!}`,
              value: part.kind === 'unit' ? part.unitId : part.memberId,
            };
      let rows: Row[];
      if (plan.kind === 'parts' && plan.parts.length === 1) {
        const walk = walkOf(plan.parts[0]!);
        if (!where) {
          // the list everyone opens first: one walk, as fixed SQL (the query builder cost a tenth of the query)
          const before = beforeId === undefined ? '' : ` AND ${walk.key} < ?`;
          const [result] = (await db
            .raw(
              `SELECT ${t}.* FROM ${walk.from} WHERE ${walk.match} = ?${before} ORDER BY ${walk.key} DESC LIMIT ?`,
              [walk.value, ...(beforeId === undefined ? [] : [beforeId]), first + 1],
            )
            .queryContext(scopedQueryContext)) as unknown as [Row[]];
          rows = result;
        } else {
          const qb = db
            .queryBuilder()
            .queryContext(scopedQueryContext)
            .select(`${t}.*`)
            .from(db.raw(walk.from))
            .where(walk.match, walk.value);
          rows = (await page(qb, walk.key)) as Row[];
        }
      } else if (plan.kind === 'parts') {
        // each part walks its index apart and returns ids only (index-only when there is no filter), so the
        // union stays a small in-memory table; the page's rows are joined last
        const parts = plan.parts.map((part) => {
          const walk = walkOf(part);
          const qb = db
            .queryBuilder()
            .queryContext(scopedQueryContext)
            .select({ id: walk.key })
            .from(db.raw(where ? walk.from : walk.idsOnly))
            .where(walk.match, walk.value);
          return page(qb, walk.key).toSQL().toNative();
        });
        const union = db.raw(
          `(SELECT id FROM (${parts.map((p) => `(${p.sql})`).join(' UNION ')}) AS u ORDER BY id DESC LIMIT ?) AS page`,
          [...parts.flatMap((p) => p.bindings as Knex.Value[]), first + 1],
        );
        rows = (await db(t)
          .queryContext(scopedQueryContext)
          .select(`${t}.*`)
          .join(union, 'page.id', id)
          .orderBy(id, 'desc')) as Row[];
      } else {
        const qb = select(table);
        if (plan.kind === 'primary' && table.newestFirstScopeIndex) {
          // a wide scope: walk (id DESC, unit, owner) newest first; the scope is checked inside the index
          // (index condition pushdown), so only rows that pass are read. Pushdown needs a range scan, hence a
          // lower bound on the first page too (every id is a non-empty string).
          qb.from(db.raw('?? FORCE INDEX (??)', [table.name, table.newestFirstScopeIndex]));
          if (beforeId === undefined) qb.where(id, '>', '');
        } else if (plan.kind === 'primary') {
          // a wide scope: walking the primary key newest first finds the page within a few hundred rows
          qb.from(db.raw('?? FORCE INDEX (PRIMARY)', [table.name]));
        }
        rows = (await page(qb)) as Row[];
      }
      if (plan.kind === 'parts') {
        // Every part lies within the scope, so this drops nothing unless the closure went wrong. Checked here
        // rather than in SQL, where the scope's IN list cost the optimiser more than the page's 51 lookups.
        const scope = scopeOf(table as ScopedTableSpec, 'read');
        rows = rows.filter((row) => rowVisible(row, table as ScopedTableSpec, scope, me));
      }
      return { rows: rows.slice(0, first), hasNextPage: rows.length > first };
    },
    async exportRows(table, { limit, where }) {
      if (isScoped(table) && isEmptyScope(actor.scope(table.resource, 'export')))
        throw new Forbidden('You may not export these records');
      const qb = select(table, 'export');
      where?.(qb);
      return (await qb.orderBy(`${table.name}.id`, 'desc').limit(limit)) as Row[];
    },
    async insert(table, row) {
      writable();
      if (isScoped(table)) {
        const scope = actor.scope(table.resource, 'create');
        if (isEmptyScope(scope)) throw new Forbidden('You may not create these records');
        // the owning unit defaults to the creator's primary team
        if (row[table.unitColumn] === undefined) row = { ...row, [table.unitColumn]: actor.primaryUnitId };
        if (!rowWritable(row, table, scope, me)) throw new OutOfScope('That unit is outside your scope');
        await checkOwner(table, undefined, row, scope);
      }
      await db(table.name).queryContext(scopedQueryContext).insert(row);
      if (isScoped(table) && typeof row['id'] === 'string')
        note(journal, row['id'], { before: null, after: recordable(row) });
    },
    async update(table, id, patch, action = 'update') {
      writable();
      if (!isScoped(table)) throw new Error(`${table.name} is not row-scoped; use unscoped()`);
      return inTransaction(async (tx) => {
        const [before, scope] = await tx.loadForWrite(table, id, action);
        const after = { ...before, ...patch };
        if (!rowWritable(after, table, scope, me)) throw new OutOfScope('That unit is outside your scope');
        await checkOwner(table, before, after, scope);
        await tx.select(table, action).where(`${table.name}.id`, id).update(patch);
        // undefined when the change took the row out of the caller's sight (assigned away)
        const stored = (await tx.select(table).where(`${table.name}.id`, id).first()) as Row;
        const now = recordable(stored ?? after);
        const changed = Object.keys(patch).filter(
          (k) => !UNAUDITED.has(k) && k in now && !same(before[k], now[k]),
        );
        if (changed.length)
          note(tx.journal, id, {
            before: Object.fromEntries(changed.map((k) => [k, before[k]])),
            after: Object.fromEntries(changed.map((k) => [k, now[k]])),
          });
        return stored;
      });
    },
    async delete(table, id) {
      writable();
      if (!isScoped(table)) throw new Error(`${table.name} is not row-scoped; use unscoped()`);
      return inTransaction(async (tx) => {
        const [before] = await tx.loadForWrite(table, id, 'delete');
        await tx.select(table, 'delete').where(`${table.name}.id`, id).delete();
        note(tx.journal, id, { before, after: null });
        return before;
      });
    },
    unscoped(tableName) {
      if (scopedNames.has(tableName)) throw new Error(`${tableName} is row-scoped; use select()`);
      return db(tableName);
    },
    async transaction(fn) {
      writable();
      if (db.isTransaction) return fn(data, db as Knex.Transaction);
      return transact((trx, own) => fn(bind({ ...options, db: trx, journal: own }).data, trx));
    },
    takeChanges(id) {
      const change = journal.get(id);
      journal.delete(id);
      return change;
    },
  };

  const bound: Bound = { data, select, loadForWrite, journal };
  return bound;
}
