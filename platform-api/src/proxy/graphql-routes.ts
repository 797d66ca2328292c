import { Router } from '@koa/router';
import type { CryptoKey } from 'jose';
import { CACHE_TAGS_HEADER } from '../edge-cache/response-tags.js';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { TenantUnavailable } from '../tenancy/tenant-errors.js';
import { createInternalTokenCache } from './internal-token-cache.js';
import { PERSISTED_QUERY_NOT_FOUND, resolvePersistedQuery } from './persisted-queries.js';
import type { PersistedQueryStore } from './persisted-query-store.js';
import { toUpstreamError } from './upstream-errors.js';
import { upstreamHeaders } from './upstream-headers.js';
import type { UpstreamPools } from './upstream-pools.js';

/**
/** Answers up to this size (with a Content-Length) are read whole, larger or unsized ones streamed. */
const BUFFERED_MAX_BYTES = 256 * 1024;
/** Upstream answer headers passed back to the client. */
const RETURNED = ['content-type', 'cache-control', 'etag'];

export interface GraphqlRoutesDeps {
  pools: UpstreamPools;
  internalKey: CryptoKey;
  timeoutMs: number;
  /** APQ hash → query text; null: persisted queries without their text are answered "not found" */
  persistedQueries?: PersistedQueryStore | null;
  /**
   * Also pass the runtime's X-Cache-Tags up, for the edge cache mounted above, which removes it before the
   * answer leaves. Only set it when the edge cache is mounted: the header is internal.
   */
  passCacheTags?: boolean;
}

/**
 * GET and POST /graphql: the signed-in caller's request, forwarded to the tenant's runtime with a
 * short-lived internal token in place of the client's credentials (persisted queries resolved to their
 * text first); the answer streams back as it arrives.
 */
export function graphqlRoutes(deps: GraphqlRoutesDeps): Router {
  const { pools, internalKey, timeoutMs, persistedQueries } = deps;
  const returned = deps.passCacheTags ? [...RETURNED, CACHE_TAGS_HEADER] : RETURNED;
  const router = new Router();
  const tokens = createInternalTokenCache(internalKey);
  const forward = async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    // An API key acts as the member who created it, limited to the key's scopes; a session gets all.
    const apiKey = ctx.state.apiKey;
    const caller = apiKey
      ? { sub: apiKey.identityId, sid: apiKey.keyId, scopes: apiKey.scopes }
      : (() => {
          const principal = requirePrincipal(ctx);
          return { sub: principal.identityId, sid: principal.sessionId, scopes: ['*'] };
        })();
    if (!tenant.endpoint) throw new TenantUnavailable();

    const forwarded = await resolvePersistedQuery(ctx, persistedQueries ?? null, tenant.id);
    if (forwarded.kind === 'not-found') {
      ctx.status = 200;
      ctx.body = PERSISTED_QUERY_NOT_FOUND;
      return;
    }
    const token = await tokens.tokenFor({ tid: tenant.id, tslug: tenant.slug, ...caller });
    const { pool, basePath } = pools.forEndpoint(tenant.endpoint);
    // Stop the upstream work if the client goes away before the answer is complete.
    const abort = new AbortController();
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) abort.abort();
    });

    let upstream;
    try {
      upstream = await pool.request({
        method: ctx.method === 'GET' ? 'GET' : 'POST',
        path: `${basePath}/graphql${forwarded.querystring ? `?${forwarded.querystring}` : ''}`,
        headers: upstreamHeaders(ctx, token),
        body: forwarded.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: abort.signal,
      });
    } catch (err) {
      ctx.state.log.warn({ err, upstream: new URL(tenant.endpoint).origin }, 'upstream request failed');
      throw toUpstreamError(err);
    }

    ctx.status = upstream.statusCode;
    for (const name of returned) {
      const value = upstream.headers[name];
      if (typeof value === 'string') ctx.set(name, value);
    }
    if (upstream.statusCode === 204 || upstream.statusCode === 304) {
      // no body may follow; drain it so the pooled connection is reusable
      await upstream.body.dump();
      return;
    }
    // A client that leaves mid-answer aborts the upstream body, which then emits 'error'; without a listener
    // that error would take the whole process down.
    upstream.body.on('error', (err: Error) => {
      if (abort.signal.aborted) ctx.state.log.debug({ err }, 'client left before the answer was complete');
      else ctx.state.log.warn({ err }, 'upstream answer failed mid-stream');
    });
    const length = Number(upstream.headers['content-length']);
    if (length <= BUFFERED_MAX_BYTES) {
      // A small answer of known size goes back as one buffer: one write, and no stream pipeline per request
      // (a measurable share of the pass-through cost); the edge cache keeps it without re-reading it.
      try {
        ctx.body = Buffer.from(await upstream.body.arrayBuffer());
      } catch (err) {
        throw toUpstreamError(err);
      }
      return;
    }
    ctx.body = upstream.body;
  };
  router.get('/graphql', forward);
  router.post('/graphql', forward);
  return router;
}
