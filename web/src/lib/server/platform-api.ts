import type { RequestEvent } from '@sveltejs/kit';
import { config } from './runtime-config.js';
import { upstreamCookieHeader } from './session-cookie.js';

/** Browser headers platform-api may see (it records the user agent on sessions). */
const PASSED_THROUGH = ['user-agent', 'accept-language'];

export interface PlatformRequest {
  method?: 'GET' | 'POST' | 'DELETE';
  /** JSON-serialised */
  json?: unknown;
  /** raw body, for the GraphQL proxy */
  body?: ArrayBuffer;
  contentType?: string;
  accept?: string;
  /** a query string including "?", for GraphQL GETs */
  search?: string;
  /**
   * Tell platform-api the browser's host (X-Forwarded-Host), for answers that build URLs on it: the SSO
   * redirect_uri must point back at this origin, not at platform-api's own address.
   */
  forwardHost?: boolean;
  /** a browser cookie to forward besides the session (the SSO flow cookie on /auth/sso/callback) */
  alsoCookie?: { name: string; value: string };
}

/** platform-api did not answer at all (down, refused, timed out). */
export class PlatformUnreachable extends Error {
  constructor(
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(timedOut ? 'platform-api timed out' : 'platform-api unreachable', { cause });
    this.name = 'PlatformUnreachable';
  }
}

/**
 * Calls platform-api for the workspace of this request: `X-Tenant`, the session cookie (and only that
 * cookie), request id and the client's address go along, so the API sees the same caller the web app does.
 */
export async function callPlatformApi(
  event: RequestEvent,
  path: string,
  init: PlatformRequest = {},
): Promise<Response> {
  const headers = new Headers();
  for (const name of PASSED_THROUGH) {
    const value = event.request.headers.get(name);
    if (value) headers.set(name, value);
  }
  headers.set('accept', init.accept ?? 'application/json');
  headers.set('x-request-id', event.locals.requestId);
  if (event.locals.tenant) headers.set('x-tenant', event.locals.tenant);
  const cookie = upstreamCookieHeader(event.locals.sessionToken);
  const extra =
    init.alsoCookie && /^[A-Za-z0-9._~-]{1,4096}$/.test(init.alsoCookie.value)
      ? `${init.alsoCookie.name}=${init.alsoCookie.value}`
      : undefined;
  const cookies = [cookie, extra].filter(Boolean).join('; ');
  if (cookies) headers.set('cookie', cookies);
  try {
    headers.set('x-forwarded-for', event.getClientAddress());
  } catch {
    // no client address (e.g. during prerendering)
  }
  headers.set('x-forwarded-proto', event.url.protocol.replace(':', ''));
  if (init.forwardHost) headers.set('x-forwarded-host', event.url.host);

  let body: BodyInit | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers.set('content-type', 'application/json');
  } else if (init.body) {
    body = init.body;
    headers.set('content-type', init.contentType ?? 'application/json');
  }

  const url = `${config.PLATFORM_API_URL}${path}${init.search ?? ''}`;
  try {
    return await fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.any([event.request.signal, AbortSignal.timeout(config.UPSTREAM_TIMEOUT_MS)]),
    });
  } catch (err) {
    const timedOut = err instanceof DOMException && err.name === 'TimeoutError';
    event.locals.log.warn(
      { err: { message: (err as Error).message }, path, timedOut },
      'platform-api call failed',
    );
    throw new PlatformUnreachable(timedOut, err);
  }
}

/** The JSON body of an answer, or null if it has none or it is not JSON. */
export async function jsonBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
