import { Router } from '@koa/router';
import { signInternalToken } from '@solar/common';
import type { CryptoKey } from 'jose';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { TenantUnavailable } from '../tenancy/tenant-errors.js';
import { toUpstreamError } from './upstream-errors.js';
import { upstreamHeaders } from './upstream-headers.js';
import type { UpstreamPools } from './upstream-pools.js';

/** Long enough for one forwarded request, short enough that a leaked token is worthless soon. */
const INTERNAL_TOKEN_TTL_SECONDS = 60;
/** Upstream answer headers passed back to the client. */
const RETURNED = ['content-type', 'cache-control', 'etag'];

export interface GraphqlRoutesDeps {
  pools: UpstreamPools;
  internalKey: CryptoKey;
  timeoutMs: number;
}

/**
 * GET and POST /graphql: the signed-in caller's request, forwarded to the tenant's runtime with a fresh
 * internal token in place of the client's credentials; the answer streams back as it arrives.
 */
export function graphqlRoutes({ pools, internalKey, timeoutMs }: GraphqlRoutesDeps): Router {
  const router = new Router();
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

    const token = await signInternalToken(
      { tid: tenant.id, tslug: tenant.slug, ...caller },
      internalKey,
      INTERNAL_TOKEN_TTL_SECONDS,
    );
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
        path: `${basePath}/graphql${ctx.querystring ? `?${ctx.querystring}` : ''}`,
        headers: upstreamHeaders(ctx, token),
        body: ctx.method === 'GET' ? null : (ctx.state.rawBody ?? Buffer.alloc(0)),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: abort.signal,
      });
    } catch (err) {
      ctx.state.log.warn({ err, upstream: new URL(tenant.endpoint).origin }, 'upstream request failed');
      throw toUpstreamError(err);
    }

    ctx.status = upstream.statusCode;
    for (const name of RETURNED) {
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
    ctx.body = upstream.body;
  };
  router.get('/graphql', forward);
  router.post('/graphql', forward);
  return router;
}
