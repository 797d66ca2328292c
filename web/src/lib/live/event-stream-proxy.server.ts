import type { RequestEvent } from '@sveltejs/kit';
import { config } from '$lib/server/runtime-config';
import { upstreamCookieHeader } from '$lib/server/session-cookie';

/** Same bound as the GraphQL proxy: a subscription request is a small JSON document. */
const MAX_BODY_BYTES = 64 * 1024;

/** A browser asking /graphql for a subscription over Server-Sent Events. */
export function wantsEventStream(request: Request): boolean {
  return request.method === 'POST' && /\btext\/event-stream\b/i.test(request.headers.get('accept') ?? '');
}

/**
 * `/graphql` subscriptions: forwarded to platform-api like every GraphQL call (session cookie, X-Tenant, request
 * id, client address), but answered as a stream. The upstream timeout covers connecting only — the stream then
 * lives until platform-api ends it (its deadline, a revoked session) or the browser leaves.
 */
export async function proxyEventStream(event: RequestEvent): Promise<Response> {
  const { request } = event;
  if (!/^application\/json\b/i.test(request.headers.get('content-type') ?? ''))
    return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json');
  const body = await request.arrayBuffer();
  if (body.byteLength > MAX_BODY_BYTES) return problem(413, 'PAYLOAD_TOO_LARGE', 'Request too large');

  const headers = new Headers({
    accept: 'text/event-stream',
    'content-type': 'application/json',
    'x-request-id': event.locals.requestId,
    'x-forwarded-proto': event.url.protocol.replace(':', ''),
  });
  if (event.locals.tenant) headers.set('x-tenant', event.locals.tenant);
  const cookie = upstreamCookieHeader(event.locals.sessionToken);
  if (cookie) headers.set('cookie', cookie);
  const agent = request.headers.get('user-agent');
  if (agent) headers.set('user-agent', agent);
  try {
    headers.set('x-forwarded-for', event.getClientAddress());
  } catch {
    // no client address
  }

  const connect = new AbortController();
  const timer = setTimeout(() => connect.abort(), config.UPSTREAM_TIMEOUT_MS);
  let upstream: Response;
  try {
    upstream = await fetch(`${config.PLATFORM_API_URL}/graphql`, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, connect.signal]),
    });
  } catch {
    return problem(503, 'UNAVAILABLE', "We can't reach Solar right now");
  } finally {
    clearTimeout(timer);
  }
  const type = upstream.headers.get('content-type') ?? 'application/json';
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      'content-type': type,
      'cache-control': 'no-store',
      // no buffering by a reverse proxy in front (nginx honours this)
      'x-accel-buffering': 'no',
    },
  });
}

function problem(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });
}
