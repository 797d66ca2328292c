import type { RequestEvent } from '@sveltejs/kit';
import { callPlatformApi, PlatformUnreachable } from '$lib/server/platform-api';

/** The single sign-on round trip (start → provider → callback) is platform-api's; these pass through. */
export const SSO_PATH_PREFIX = '/auth/sso/';
/** Name shared with platform-api (platform-api/src/sso/flow-state.ts). */
const SSO_FLOW_COOKIE = 'solar_sso_flow';

/**
 * Forwards `/auth/sso/*` to platform-api with the browser's host, and its answer back untouched: the
 * redirect (`Location`) and every `Set-Cookie` (the sealed flow cookie, then the session) must reach the
 * browser exactly as platform-api wrote them, on this origin. Only GET: the flow is redirects and links.
 */
export async function proxySso(event: RequestEvent): Promise<Response> {
  if (event.request.method !== 'GET') {
    return new Response('Method not allowed', {
      status: 405,
      headers: { allow: 'GET', 'content-type': 'text/plain' },
    });
  }
  // The flow cookie (Path=/auth/sso) ties the callback to the browser that started; nothing else goes along.
  const flow = event.cookies.get(SSO_FLOW_COOKIE);
  let upstream: Response;
  try {
    upstream = await callPlatformApi(event, event.url.pathname, {
      search: event.url.search,
      accept: 'text/html,application/json',
      forwardHost: true,
      ...(flow ? { alsoCookie: { name: SSO_FLOW_COOKIE, value: flow } } : {}),
    });
  } catch (err) {
    if (!(err instanceof PlatformUnreachable)) throw err;
    return redirectTo('/sign-in?error=sso_failed');
  }
  const headers = new Headers({ 'cache-control': 'no-store' });
  for (const name of ['location', 'content-type']) {
    const value = upstream.headers.get(name);
    if (value) headers.set(name, value);
  }
  for (const cookie of upstream.headers.getSetCookie()) headers.append('set-cookie', cookie);
  return new Response(upstream.status >= 300 && upstream.status < 400 ? null : upstream.body, {
    status: upstream.status,
    headers,
  });
}

function redirectTo(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}
