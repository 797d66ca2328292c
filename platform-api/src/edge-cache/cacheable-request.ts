import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../http/koa.js';

/**
 * Which requests the edge cache may answer: GET /graphql naming a persisted operation (the APQ shape
 * `extensions={"persistedQuery":{"sha256Hash":…}}`, or `id=`), and GET /api/v1/**. Ad-hoc GraphQL GETs are
 * not cached: every distinct query text would take its own entry.
 */
const apqExtensionsSchema = z.object({
  persistedQuery: z.object({
    version: z.number().int().optional(),
    sha256Hash: z.string().regex(/^[a-f0-9]{64}$/),
  }),
});
const operationIdSchema = z.string().regex(/^[A-Za-z0-9_:.-]{1,128}$/);

export function persistedOperationId(params: URLSearchParams): string | null {
  const id = params.get('id');
  if (id !== null) return operationIdSchema.safeParse(id).success ? id : null;
  const extensions = params.get('extensions');
  if (extensions === null) return null;
  try {
    const parsed = apqExtensionsSchema.safeParse(JSON.parse(extensions));
    return parsed.success ? parsed.data.persistedQuery.sha256Hash : null;
  } catch {
    return null;
  }
}

export function isCacheableRequest(ctx: AppContext, params: URLSearchParams): boolean {
  if (ctx.method !== 'GET') return false;
  if (ctx.path === '/graphql') return persistedOperationId(params) !== null;
  return ctx.path.startsWith('/api/v1/');
}

/**
 * The parameters that decide a persisted query's answer: the hash stands for the text, so the register
 * shape (`query` + hash) and the plain hash share one entry, and so do different spellings of
 * `extensions`. A `query` that does not match its hash is kept, so that request never meets the entry
 * (the proxy refuses it).
 */
export function cacheKeyParams(path: string, params: URLSearchParams): URLSearchParams {
  if (path !== '/graphql') return params;
  const hash = params.get('id') === null ? persistedOperationId(params) : null;
  if (hash === null) return params;
  const query = params.get('query');
  if (query !== null && createHash('sha256').update(query).digest('hex') !== hash) return params;
  const normal = new URLSearchParams(params);
  normal.delete('query');
  normal.set('extensions', hash);
  return normal;
}
