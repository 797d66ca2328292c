import type { Handle, HandleServerError } from '@sveltejs/kit';
import { randomUUID } from 'node:crypto';
import { env } from '$env/dynamic/private';
import { enrolmentRedirect } from '$lib/auth/enrolment-gate.server';
import { proxySso, SSO_PATH_PREFIX } from '$lib/auth/sso-proxy.server';
import { proxyEventStream, wantsEventStream } from '$lib/live/event-stream-proxy.server';
import { proxyGraphql } from '$lib/server/graphql-proxy';
import { isCrossSiteForm, isPlainHttp } from '$lib/server/request-guard';
import { startTelemetry, withSpan } from '@solar/common/telemetry';
import { logger } from '$lib/server/logger';
import { config } from '$lib/server/runtime-config';
import { isPlausibleToken, SESSION_COOKIE } from '$lib/server/session-cookie';
import { tenantFromHost } from '$lib/server/tenant-from-host';
import { parseTheme, THEME_COOKIE } from '$lib/theme';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

/**
 * Every request, in order: real scheme → request id and logger → workspace from the host → cross-site form
 * check → theme and session cookie → /graphql and /auth/sso/* go to platform-api, a session that must still
 * set up MFA goes to do so, everything else to the routes → cache and security headers.
 */
// OpenTelemetry for the web server (exporter by TELEMETRY_EXPORTER; a no-op with 'none')
startTelemetry('web', config);

export const handle: Handle = ({ event, resolve }) =>
  withSpan('solar-crm/web', `${event.request.method} ${event.route.id ?? 'unmatched'}`, {}, () =>
    Promise.resolve(handleRequest({ event, resolve })),
  );

const handleRequest: Handle = async ({ event, resolve }) => {
  const started = performance.now();
  const req = (event.platform as { req?: { socket?: { encrypted?: boolean } } } | undefined)?.req;
  if (isPlainHttp(env, req ? req.socket?.encrypted === true : undefined)) event.url.protocol = 'http:';
  const incomingId = event.request.headers.get('x-request-id');
  event.locals.requestId = incomingId && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
  event.locals.tenant = tenantFromHost(event.url.host, config.BASE_DOMAIN, config.DEFAULT_TENANT);
  event.locals.log = logger.child({ requestId: event.locals.requestId, tenant: event.locals.tenant });
  if (isCrossSiteForm(event.request.method, event.request.headers, event.url.host)) {
    event.locals.log.warn({ origin: event.request.headers.get('origin') }, 'cross-site form refused');
    return new Response('Cross-site form submissions are forbidden', {
      status: 403,
      headers: { 'content-type': 'text/plain', vary: 'Cookie' },
    });
  }
  event.locals.theme = parseTheme(event.cookies.get(THEME_COOKIE));
  const token = event.cookies.get(SESSION_COOKIE);
  event.locals.sessionToken = isPlausibleToken(token) ? token : null;

  const response = mutable(
    event.url.pathname === '/graphql'
      ? wantsEventStream(event.request)
        ? await proxyEventStream(event) // subscriptions: streamed, no overall timeout
        : await proxyGraphql(event)
      : event.url.pathname.startsWith(SSO_PATH_PREFIX)
        ? await proxySso(event) // single sign-on: platform-api's redirects and cookies, untouched
        : ((await enrolmentRedirect(event)) ?? // MFA required but not set up: enrol first
          (await resolve(event, {
            // SSR paints the chosen theme straight away: no flash of the wrong colours.
            transformPageChunk: ({ html }) => html.replace('%solar.theme%', event.locals.theme),
          }))),
  );

  const headers = response.headers;
  headers.set('x-request-id', event.locals.requestId);
  headers.append('vary', 'Cookie');
  const type = headers.get('content-type') ?? '';
  if (!headers.has('cache-control') && /text\/html|application\/json/.test(type)) {
    // Pages and their data carry the workspace and the user: never stored by the browser or a CDN while
    // signed in; signed-out pages (sign-in) are revalidated every time.
    headers.set('cache-control', event.locals.sessionToken ? 'private, no-store' : 'no-cache');
  }
  headers.set('x-content-type-options', 'nosniff');
  headers.set('referrer-policy', 'same-origin');
  if (type.includes('text/html'))
    headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');

  if (event.url.pathname !== '/healthz') {
    event.locals.log.info(
      {
        method: event.request.method,
        path: event.url.pathname,
        status: response.status,
        ms: Math.round(performance.now() - started),
      },
      'request',
    );
  }
  return response;
};

/** Responses made from fetch() or Response.redirect() have read-only headers; copy those before adding ours. */
function mutable(response: Response): Response {
  try {
    response.headers.set('x-powered-by', 'solar');
    response.headers.delete('x-powered-by');
    return response;
  } catch {
    return new Response(response.body, response);
  }
}

/** Unexpected failures: logged with the request id, shown to the user as a plain message with that id. */
export const handleError: HandleServerError = ({ error, event, status, message }) => {
  const log = event.locals.log ?? logger;
  if (status !== 404) log.error({ err: error, path: event.url.pathname }, 'unhandled error');
  return {
    message: status === 404 ? 'Page not found' : message,
    code: status === 404 ? 'NOT_FOUND' : 'INTERNAL',
  };
};
