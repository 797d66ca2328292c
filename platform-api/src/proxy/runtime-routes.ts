import { Router } from '@koa/router';
import { PayloadTooLarge } from '@solar/common';
import { requestBody } from '../http/body-limit.js';
import type { AppContext } from '../http/koa.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { requireCaller, type Forward } from './forward-to-runtime.js';
import { PERSISTED_QUERY_NOT_FOUND, resolvePersistedQuery } from './persisted-queries.js';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { isBulkOperation } from './bulk-operation.js';

export interface RuntimeRoutesDeps {
  forward: Forward;
  /**
   * POST /graphql may carry up to its route limit (ROUTE_BODY_LIMITS) only for these mutations (the lead
   * CSV import); any other body over `defaultMaxBytes` is refused with 413.
   */
  bulkGraphql?: { defaultMaxBytes: number; fields: ReadonlySet<string> };
  /** APQ hash → query text; null: persisted queries without their text are answered "not found" */
  persistedQueries?: PersistedQueryStore | null;
}

/** REST methods the runtime serves under /api/v1 (OPTIONS preflights are answered by the CORS middleware). */
const REST_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The tenant's own API, forwarded to its runtime for a signed-in caller or an API key:
 *   GET/POST /graphql   persisted queries (APQ) resolved to their text first; subscriptions stream (SSE)
 *   * /api/v1/**        REST, every method, path and query string as sent
 */
export function runtimeRoutes(deps: RuntimeRoutesDeps): Router {
  const { forward, persistedQueries, bulkGraphql } = deps;
  const router = new Router();

  const graphql = async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    requireCaller(ctx);
    const body = await requestBody(ctx);
    if (
      bulkGraphql &&
      body &&
      body.length > bulkGraphql.defaultMaxBytes &&
      !isBulkOperation(body, bulkGraphql.fields)
    )
      throw new PayloadTooLarge(
        `Request body is larger than ${bulkGraphql.defaultMaxBytes} bytes (only ${[...bulkGraphql.fields].join(', ')} may be larger)`,
      );
    const resolved = await resolvePersistedQuery(ctx, persistedQueries ?? null, tenant.id);
    if (resolved.kind === 'not-found') {
      ctx.status = 200;
      ctx.body = PERSISTED_QUERY_NOT_FOUND;
      return;
    }
    await forward(ctx, {
      method: ctx.method === 'GET' ? 'GET' : 'POST',
      path: '/graphql',
      querystring: resolved.querystring,
      body: resolved.body,
    });
  };
  router.get('/graphql', graphql);
  router.post('/graphql', graphql);

  const rest = async (ctx: AppContext) => {
    requireCaller(ctx);
    const body = await requestBody(ctx);
    await forward(ctx, {
      method: ctx.method,
      path: ctx.path,
      querystring: ctx.querystring,
      body: body ?? null,
    });
  };
  router.register('/api/v1/*rest', [...REST_METHODS], rest);
  return router;
}
