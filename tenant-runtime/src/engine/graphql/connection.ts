import { ValidationFailed } from '@solar/common';
import { z } from 'zod';

/*
 * Relay-style connections shared by every module: opaque cursors over the primary key and a bounded page size.
 */

export const MAX_PAGE_SIZE = 100;

export const connectionArgsSchema = z.object({
  first: z
    .number()
    .int()
    .min(1, 'first must be at least 1')
    .max(MAX_PAGE_SIZE, `first must be at most ${MAX_PAGE_SIZE}`),
  after: z.string().max(200).nullish(),
});

const CURSOR_PREFIX = 'c1:';

/** Cursors are opaque to clients; today they wrap the row id, tomorrow they may carry a sort key too. */
export function encodeCursor(id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${id}`, 'utf8').toString('base64url');
}

/** Returns the row id inside a cursor, or a 400 naming the argument. */
export function decodeCursor(cursor: string, field = 'after'): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const id = text.startsWith(CURSOR_PREFIX) ? text.slice(CURSOR_PREFIX.length) : '';
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new ValidationFailed({ [field]: ['Not a valid cursor'] });
  return id;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/**
 * The size of the whole filtered list, counted only when someone asks: a COUNT over 100k rows costs more
 * than the page itself, and most list screens never show it. GraphQL's default resolver calls it for the
 * `totalCount` field; REST pages await it.
 */
export type LazyCount = () => Promise<number>;

/** Counts at most once, on the first call. */
export function countOnDemand(count: () => Promise<number>): LazyCount {
  let counted: Promise<number> | undefined;
  return () => (counted ??= count());
}

export interface Connection<N> {
  edges: Array<{ cursor: string; node: N }>;
  pageInfo: PageInfo;
  totalCount: LazyCount;
}

export function toConnection<N extends { id: string }>(
  nodes: N[],
  options: { hasNextPage: boolean; after: string | null | undefined; totalCount: LazyCount },
): Connection<N> {
  const edges = nodes.map((node) => ({ cursor: encodeCursor(node.id), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: options.hasNextPage,
      // paging forward only: there is something before us exactly when we started after a cursor
      hasPreviousPage: options.after != null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: options.totalCount,
  };
}
