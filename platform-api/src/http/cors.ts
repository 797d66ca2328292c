import type { TenantRegistry } from '../tenancy/tenant-registry.js';
import type { AppContext, Middleware } from './koa.js';

/** What a cross-origin page may send: the headers our API reads, nothing else. */
const ALLOWED_HEADERS = new Set([
  'accept',
  'accept-language',
  'authorization',
  'content-type',
  'idempotency-key',
  'if-match',
  'if-none-match',
  'last-event-id',
  'x-request-id',
  'x-session-mode',
]);
const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
/** Answer headers a cross-origin page may read. */
const EXPOSED_HEADERS = [
  'ETag',
  'Location',
  'Retry-After',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-Request-Id',
  'X-Edge-Cache',
  'Idempotent-Replayed',
].join(', ');
const PREFLIGHT_MAX_AGE_SECONDS = '600';

/**
 * Per-tenant CORS. A tenant lists the browser origins allowed to call its API (platform GraphQL tenant
 * settings); for those, answers carry `Access-Control-Allow-Origin: <that exact origin>` and preflights are
 * answered here, before authentication (a preflight carries no credentials). Credentials are allowed only
 * for requests that could ride on the session cookie (no Authorization header) — bearer and API-key
 * callers need none. Any other origin, or a request naming no tenant, gets no CORS headers at all, so the
 * browser keeps the answer from the page. Mount after tenant resolution.
 */
export function tenantCors(registry: Pick<TenantRegistry, 'corsOrigins'>): Middleware {
  return async (ctx, next) => {
    const origin = ctx.get('Origin');
    if (!origin) return next();
    ctx.append('Vary', 'Origin');
    const preflight = ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method') !== '';
    const allowed = await isAllowedOrigin(ctx, registry, origin);
    if (preflight) {
      // answered here whether allowed or not: a preflight never reaches authentication or the runtime
      ctx.status = 204;
      ctx.append('Vary', 'Access-Control-Request-Method, Access-Control-Request-Headers');
      if (allowed) {
        ctx.set('Access-Control-Allow-Origin', origin);
        ctx.set('Access-Control-Allow-Credentials', 'true');
        ctx.set('Access-Control-Allow-Methods', ALLOWED_METHODS);
        const requested = ctx
          .get('Access-Control-Request-Headers')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => ALLOWED_HEADERS.has(h));
        if (requested.length) ctx.set('Access-Control-Allow-Headers', requested.join(', '));
        ctx.set('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_SECONDS);
      }
      return;
    }
    if (allowed) {
      // set before the routes run, so error answers (401, 429…) are readable by the page too
      ctx.set('Access-Control-Allow-Origin', origin);
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
      if (ctx.get('Authorization') === '') ctx.set('Access-Control-Allow-Credentials', 'true');
    }
    await next();
  };
}

/** Whether the request's tenant lists `origin` (compared lower-case; `null` and malformed never match). */
export async function isAllowedOrigin(
  ctx: AppContext,
  registry: Pick<TenantRegistry, 'corsOrigins'>,
  origin: string,
): Promise<boolean> {
  const tenant = ctx.state.tenant;
  if (!tenant || origin === 'null') return false;
  return (await registry.corsOrigins(tenant.id)).has(origin.toLowerCase());
}
