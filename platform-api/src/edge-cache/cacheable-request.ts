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
