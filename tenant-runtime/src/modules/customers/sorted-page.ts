import { ValidationFailed, type Knex } from '@solar/common';
import type { DataAccess, Page, Row } from '../../engine/data/data-access.js';
import {
  decodeCursor,
  encodeCursor,
  type Connection,
  type LazyCount,
} from '../../engine/graphql/connection.js';
import type { TableSpec } from '../../engine/data/table.js';

/*
 * Keyset pages in an order other than newest first (name, close date, amount…). The sort key is a SQL
 * expression over trusted column names that never yields NULL (callers COALESCE), tie-broken by id, and
 * the cursor carries [key, id] so the next page starts strictly after the last row, whatever was inserted
 * in between. Reads go through `data.select`, so row scope applies as it does everywhere.
 */

export interface SortKey {
  /** SQL expression, non-null, built from our own column names only */
  expression: string;
  direction: 'asc' | 'desc';
}

const PREFIX = 'k1:';

export function encodeSortCursor(key: string | number, id: string): string {
  return Buffer.from(`${PREFIX}${JSON.stringify([key, id])}`, 'utf8').toString('base64url');
}

export function decodeSortCursor(cursor: string, field = 'after'): [string | number, string] {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  try {
    if (text.startsWith(PREFIX)) {
      const value: unknown = JSON.parse(text.slice(PREFIX.length));
      if (
        Array.isArray(value) &&
        value.length === 2 &&
        (typeof value[0] === 'string' || typeof value[0] === 'number') &&
        typeof value[1] === 'string' &&
        /^[0-9a-f-]{36}$/.test(value[1])
      )
        return [value[0], value[1]];
    }
  } catch {
    // falls through to the validation error
  }
  throw new ValidationFailed({ [field]: ['Not a valid cursor for this sort order'] });
}

export interface SortedPage {
  rows: Row[];
  hasNextPage: boolean;
  /** cursor per row, in order */
  cursors: string[];
}

/** One page in `sort` order (or newest first when `sort` is null), with cursors that fit that order. */
export async function sortedPage(
  data: DataAccess,
  table: TableSpec,
  o: { first: number; after?: string | null; where: (qb: Knex.QueryBuilder) => void; sort: SortKey | null },
): Promise<SortedPage> {
  if (!o.sort) {
    const beforeId = o.after ? decodeCursor(o.after) : undefined;
    const page: Page<Row> = await data.pageNewestFirst(table, {
      first: o.first,
      ...(beforeId ? { beforeId } : {}),
      where: o.where,
    });
    return { ...page, cursors: page.rows.map((r) => encodeCursor(String(r['id']))) };
  }
  const { expression, direction } = o.sort;
  const id = `${table.name}.id`;
  const cmp = direction === 'asc' ? '>' : '<';
  const qb = data.select(table);
  qb.select(`${table.name}.*`, qb.client.raw(`${expression} AS sort_key`) as Knex.Raw);
  o.where(qb);
  if (o.after) {
    const [key, afterId] = decodeSortCursor(o.after);
    qb.where((w) =>
      w
        .whereRaw(`${expression} ${cmp} ?`, [key])
        .orWhere((eq) => eq.whereRaw(`${expression} = ?`, [key]).where(id, cmp, afterId)),
    );
  }
  const rows = (await qb
    .orderByRaw(`${expression} ${direction}`)
    .orderBy(id, direction)
    .limit(o.first + 1)) as Row[];
  const page = rows.slice(0, o.first);
  return {
    rows: page,
    hasNextPage: rows.length > o.first,
    cursors: page.map((r) => encodeSortCursor(r['sort_key'] as string | number, String(r['id']))),
  };
}

/** A Relay connection whose cursors came from `sortedPage`. */
export function toSortedConnection<N>(
  nodes: N[],
  o: { cursors: string[]; hasNextPage: boolean; after: string | null | undefined; totalCount: LazyCount },
): Connection<N> {
  const edges = nodes.map((node, i) => ({ cursor: o.cursors[i]!, node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: o.hasNextPage,
      hasPreviousPage: o.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: o.totalCount,
  };
}
