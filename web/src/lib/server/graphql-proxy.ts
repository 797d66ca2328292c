import type { RequestEvent } from '@sveltejs/kit';
import { callPlatformApi, PlatformUnreachable } from './platform-api.js';

/** Upstream answer headers the browser gets back. */
const RETURNED = ['content-type', 'cache-control', 'etag', 'retry-after', 'x-tenant-suspended'];
/** Bodies a GraphQL POST may carry; anything else (forms, text/plain) could be a cross-site forgery. */
const JSON_TYPES = /^application\/(json|graphql-response\+json)\b/i;
/** Same bound as adapter-node's default BODY_SIZE_LIMIT. */
const MAX_BODY_BYTES = 512 * 1024;

/**
 * The browser's `/graphql`, forwarded to platform-api with the session cookie and X-Tenant, so the browser
 * only ever talks to this origin (no CORS, the session cookie stays HttpOnly here).
 */
export async function proxyGraphql(event: RequestEvent): Promise<Response> {
  const { request } = event;
  if (request.method !== 'GET' && request.method !== 'POST') {
    return graphqlError(405, 'METHOD_NOT_ALLOWED', 'Use GET or POST', { allow: 'GET, POST' });
  }
  let body: ArrayBuffer | undefined;
  if (request.method === 'POST') {
    if (!JSON_TYPES.test(request.headers.get('content-type') ?? '')) {
      return graphqlError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json');
    }
    body = await request.arrayBuffer();
    if (body.byteLength > MAX_BODY_BYTES) return graphqlError(413, 'PAYLOAD_TOO_LARGE', 'Request too large');
  }

  let upstream: Response;
  try {
    upstream = await callPlatformApi(event, '/graphql', {
      method: request.method,
      search: event.url.search,
      accept: request.headers.get('accept') ?? 'application/graphql-response+json, application/json',
      ...(body ? { body, contentType: request.headers.get('content-type') ?? 'application/json' } : {}),
    });
  } catch (err) {
    if (!(err instanceof PlatformUnreachable)) throw err;
    return err.timedOut
      ? graphqlError(504, 'TIMEOUT', 'The workspace took too long to answer')
      : graphqlError(503, 'UNAVAILABLE', "We can't reach Solar right now");
  }

  const headers = new Headers();
  for (const name of RETURNED) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  // A tenant's data: never in a shared cache unless the API said otherwise.
  if (!headers.has('cache-control')) headers.set('cache-control', 'private, no-store');
  return new Response(upstream.status === 204 || upstream.status === 304 ? null : upstream.body, {
    status: upstream.status,
    headers,
  });
}

function graphqlError(
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra },
  });
}
