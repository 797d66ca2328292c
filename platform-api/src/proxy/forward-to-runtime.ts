import type { CryptoKey } from 'jose';
import type { AppContext } from '../http/koa.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { TenantUnavailable } from '../tenancy/tenant-errors.js';
import type { CallerLiveness, StreamCaller } from './caller-liveness.js';
import { isEventStream, relayEventStream } from './event-stream.js';
import { createInternalTokenCache } from './internal-token-cache.js';
import { RuntimeUnavailable, type RuntimeBreakers } from './runtime-breakers.js';
import { toUpstreamError } from './upstream-errors.js';
import { upstreamHeaders } from './upstream-headers.js';
import type { UpstreamPools } from './upstream-pools.js';

/** Answers up to this size (with a Content-Length) are read whole, larger or unsized ones streamed. */
const BUFFERED_MAX_BYTES = 256 * 1024;
/** Upstream answer headers passed back to the client (the runtime can never set cookies on our domain). */
const RETURNED = [
  'content-type',
  'cache-control',
  'etag',
  'last-modified',
  'location',
  'allow',
  'retry-after',
  'idempotent-replayed',
];
const IDEMPOTENT = new Set(['GET', 'HEAD']);

export interface ForwardDeps {
  pools: UpstreamPools;
  internalKey: CryptoKey;
  timeoutMs: number;
  breakers: RuntimeBreakers;
  liveness: CallerLiveness;
  eventStreams: { heartbeatMs: number; maxDurationMs: number };
  /** extra answer headers passed up (the edge cache's X-Cache-Tags, which it removes before the answer leaves) */
  alsoReturned?: readonly string[];
}

/** What goes upstream: the runtime path (under the endpoint's base path), its query string and body. */
export interface Forwarded {
  method: string;
  path: string;
  querystring: string;
  body: Buffer | null;
}

export type Forward = (ctx: AppContext, request: Forwarded) => Promise<void>;

/**
 * The one way a request reaches a tenant's runtime (/graphql and /api/v1 alike): the signed-in caller (a
 * session, or an API key acting as its creator with the key's scopes) becomes a short-lived internal token
 * in place of the client's credentials; only allow-listed headers travel; the runtime's circuit breaker
 * and idempotent-only retries apply; the answer streams back as it arrives, an event stream as a live relay.
 */
export function createForwarder(deps: ForwardDeps): Forward {
  const { pools, timeoutMs, breakers } = deps;
  const returned = [...RETURNED, ...(deps.alsoReturned ?? [])];
  const tokens = createInternalTokenCache(deps.internalKey);

  return async (ctx, forwarded) => {
    const tenant = requireTenant(ctx);
    const caller = requireCaller(ctx);
    if (!tenant.endpoint) throw new TenantUnavailable();
    const token = await tokens.tokenFor({
      tid: tenant.id,
      tslug: tenant.slug,
      sub: caller.sub,
      sid: caller.sid,
      scopes: caller.scopes,
    });
    const { pool, origin, basePath } = pools.forEndpoint(tenant.endpoint);
    const wantsStream = /\btext\/event-stream\b/i.test(ctx.get('accept'));
    // Stop the upstream work if the client goes away before the answer is complete.
    const abort = new AbortController();
    ctx.res.once('close', () => {
      if (!ctx.res.writableFinished) abort.abort();
    });
    const headers = upstreamHeaders(ctx, token);
    const path = `${basePath}${forwarded.path}${forwarded.querystring ? `?${forwarded.querystring}` : ''}`;

    let upstream;
    try {
      upstream = await breakers.send(origin, IDEMPOTENT.has(forwarded.method), () =>
        pool.request({
          method: forwarded.method as 'GET',
          path,
          headers,
          body: forwarded.body,
          headersTimeout: timeoutMs,
          // an event stream may rightly stay quiet for minutes; the relay's heartbeat watches it instead
          bodyTimeout: wantsStream ? 0 : timeoutMs,
          signal: abort.signal,
        }),
      );
    } catch (err) {
      if (err instanceof RuntimeUnavailable) throw err; // the circuit is open: already an answer
      ctx.state.log.warn({ err, upstream: origin }, 'upstream request failed');
      throw toUpstreamError(err);
    }

    ctx.status = upstream.statusCode;
    for (const name of returned) {
      const value = upstream.headers[name];
      if (typeof value === 'string') ctx.set(name, value);
    }
    if (upstream.statusCode === 204 || upstream.statusCode === 304 || forwarded.method === 'HEAD') {
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

    if (isEventStream(upstream.headers['content-type'])) {
      // live: no buffering here or in a proxy in front (nginx honours X-Accel-Buffering), never cached
      ctx.set('Cache-Control', 'no-cache, no-store');
      ctx.set('X-Accel-Buffering', 'no');
      ctx.remove('Content-Length');
      ctx.req.socket.setNoDelay(true);
      const streamCaller = caller.stream;
      ctx.body = relayEventStream(upstream.body, {
        ...deps.eventStreams,
        stillAllowed: () => deps.liveness.stillAllowed(streamCaller),
        onEnd: (reason) => {
          if (reason !== 'upstream-ended') abort.abort();
          ctx.state.log.debug({ reason }, 'event stream ended');
        },
      });
      return;
    }

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
}

/**
 * Who the runtime will serve: an API key acts as the member who created it, limited to the key's scopes;
 * a session gets all. Routes call it before reading a body, so an anonymous caller costs nothing.
 */
export function requireCaller(ctx: AppContext) {
  const tenant = requireTenant(ctx);
  const apiKey = ctx.state.apiKey;
  if (apiKey) {
    const stream: StreamCaller = { kind: 'api_key', tenantId: tenant.id, keyId: apiKey.keyId };
    return { sub: apiKey.identityId, sid: apiKey.keyId, scopes: apiKey.scopes, stream };
  }
  const principal = requirePrincipal(ctx);
  const stream: StreamCaller = {
    kind: 'session',
    tenantId: tenant.id,
    sessionId: principal.sessionId,
    identityId: principal.identityId,
  };
  return { sub: principal.identityId, sid: principal.sessionId, scopes: ['*'], stream };
}
