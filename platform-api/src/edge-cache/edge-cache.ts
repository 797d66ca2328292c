import { meter, type Logger } from '@solar/common';
import type { Middleware } from '../http/koa.js';
import type { Redis } from '../redis/redis-client.js';
import { captureAnswer } from './capture-answer.js';
import { cacheKey } from './cache-key.js';
import type { EdgeCacheStore, Lookup } from './cache-store.js';
import { cacheKeyParams, isCacheableRequest } from './cacheable-request.js';
import { matchesIfNoneMatch } from './etag.js';
import { outageLog } from './redis-outage.js';
import { CACHE_TAGS_HEADER } from './response-tags.js';
import { userViewerScope, type ViewerScope } from './viewer-scope.js';

export const EDGE_CACHE_HEADER = 'X-Edge-Cache';
/** Browsers keep the answer but ask again every time (If-None-Match); shared caches never keep it. */
export const CACHE_CONTROL = 'private, max-age=0, must-revalidate';
/**
 * Accept as well: the key includes it, so the browser must not reuse one representation for another; and
 * Origin, because the CORS headers (http/cors.ts) differ by it.
 */
export const VARY = 'Cookie, Authorization, X-Tenant, Accept, Origin';

export interface EdgeCacheOptions {
  store: EdgeCacheStore;
  /** only `ready` is read: while Redis is disconnected the cache is skipped without trying it */
  redis: Pick<Redis, 'ready'>;
  logger: Logger;
  /** defaults to one scope per user / API key (userViewerScope) */
  viewerScope?: ViewerScope;
  /** larger answers are passed through uncached (default 256 KiB) */
  maxEntryBytes?: number;
  /** a Redis call slower than this counts as an outage for this request (default 250 ms) */
  opTimeoutMs?: number;
}

const requests = meter('platform-api/edge-cache').createCounter('edge_cache.requests', {
  description: 'cacheable requests by result (hit, miss, bypass)',
});

/**
 * The edge cache: answers persisted-query GETs on /graphql and GETs on /api/v1/** from Redis per (tenant,
 * viewer scope), with ETag/304. Mount it after tenant resolution, authentication and rate limiting and
 * before the routes: a hit never reaches them. Redis down → the request is served as if there were no
 * cache, and the outage is logged once.
 */
export function edgeCache(options: EdgeCacheOptions): Middleware {
  const { store, redis } = options;
  const viewerScope = options.viewerScope ?? userViewerScope;
  const maxEntryBytes = options.maxEntryBytes ?? 256 * 1024;
  const opTimeoutMs = options.opTimeoutMs ?? 250;
  const outage = outageLog(options.logger, 'edge cache');

  const middleware: Middleware = async (ctx, next) => {
    if (ctx.method !== 'GET') return next();
    // an event stream (GraphQL subscription over SSE) is live: never looked up, never kept
    if (/\btext\/event-stream\b/i.test(ctx.get('accept'))) return next();
    const params = new URLSearchParams(ctx.querystring);
    if (!isCacheableRequest(ctx, params)) return next();
    const tenant = ctx.state.tenant;
    // suspended or unroutable tenants always reach the routes, which answer for their state
    if (!tenant || tenant.suspended || !tenant.endpoint) return next();
    const viewer = await viewerScope(ctx);
    if (viewer === null) return next();

    ctx.set(EDGE_CACHE_HEADER, 'BYPASS');
    if (!redis.ready) {
      outage.failed();
      requests.add(1, { result: 'bypass' });
      return next();
    }
    const key = cacheKey({
      tenantId: tenant.id,
      viewerScope: viewer,
      method: ctx.method,
      path: ctx.path,
      params: cacheKeyParams(ctx.path, params),
      accept: ctx.get('accept'),
    });
    let seen: Lookup | null = null;
    try {
      seen = await withTimeout(store.lookup(tenant.id, key), opTimeoutMs);
      outage.succeeded();
    } catch (err) {
      outage.failed(err);
    }

    const ifNoneMatch = ctx.get('if-none-match');
    const revalidate = /\bno-cache\b/i.test(ctx.get('cache-control')) || ctx.get('pragma') === 'no-cache';
    if (seen?.answer && !revalidate) {
      const { answer } = seen;
      requests.add(1, { result: 'hit' });
      ctx.status = answer.status;
      for (const [name, value] of Object.entries(answer.headers)) ctx.set(name, value);
      setCacheHeaders(ctx, answer.etag, 'HIT');
      if (ifNoneMatch && matchesIfNoneMatch(ifNoneMatch, answer.etag)) {
        ctx.status = 304;
        ctx.body = null;
      } else {
        ctx.body = answer.body;
      }
      return;
    }

    await next();
    if (!seen) {
      requests.add(1, { result: 'bypass' });
      return;
    }
    const capture = await captureAnswer(ctx, maxEntryBytes);
    if (!capture.cacheable) {
      requests.add(1, { result: 'bypass' });
      ctx.state.log.debug({ reason: capture.reason }, 'edge cache: answer not cacheable');
      return;
    }
    requests.add(1, { result: 'miss' });
    setCacheHeaders(ctx, capture.answer.etag, 'MISS');
    try {
      await withTimeout(store.store(tenant.id, key, capture.answer, capture.tags, seen), opTimeoutMs);
    } catch (err) {
      outage.failed(err);
    }
    if (ifNoneMatch && matchesIfNoneMatch(ifNoneMatch, capture.answer.etag)) {
      ctx.status = 304;
      ctx.body = null;
    }
  };
  return async (ctx, next) => {
    await middleware(ctx, next);
    ctx.remove(CACHE_TAGS_HEADER); // internal: whatever path the request took, never shown to clients
  };
}

function setCacheHeaders(ctx: Parameters<Middleware>[0], etag: string, result: 'HIT' | 'MISS'): void {
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', CACHE_CONTROL);
  ctx.set('Vary', VARY);
  ctx.set(EDGE_CACHE_HEADER, result);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
