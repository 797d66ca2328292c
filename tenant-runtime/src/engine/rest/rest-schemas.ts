import { z } from 'zod';
import { MAX_PAGE_SIZE } from '../graphql/connection.js';

/*
 * Pieces every resource's REST schemas share: the page envelope, the paging query parameters, list filters
 * given as comma-separated values, and timestamps as ISO strings.
 */

/** `{ data, nextCursor, totalCount }` around a resource schema. */
export const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({
    data: z.array(item),
    nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
    totalCount: z.number().int(),
  });

/** `limit` and `after`, the query parameters of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).describe('Page size'),
  after: z.string().max(200).optional().describe('Cursor from the previous page'),
};

/** A filter of one or more values: `?kind=call,task` or `?kind=call&kind=task`. */
export const csvOf = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
    .pipe(z.array(item).max(50, 'At most 50 values'));

/** `?open=true` / `?open=false`. */
export const queryBoolean = z.enum(['true', 'false'], 'Must be true or false').transform((v) => v === 'true');

/** A timestamp as REST shows it. */
export const iso = (d: Date | string) => new Date(d).toISOString();
export const isoOrNull = (d: Date | string | null) => (d === null ? null : iso(d));
