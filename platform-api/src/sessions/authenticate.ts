import type { Knex } from '@solar/common';
import { findApiKey, markApiKeyUsed } from '../api-keys/api-key-store.js';
import type { AppContext, Middleware } from '../http/koa.js';
import { looksLikeJwt, verifyAccessToken } from './access-token.js';
import { createSessionCache, type SessionCache } from './session-cache.js';
import { SESSION_COOKIE, sessionCookie } from './session-cookie.js';
import { findSession, findSessionById, touchSession, type SessionPrincipal } from './session-store.js';
import { isWellFormedToken } from './session-token.js';

export interface AuthenticateDeps {
  db: Knex;
  accessKey: Uint8Array;
  cookieSecure: boolean;
  ttlHours: number;
  maxDays: number;
  /** sessions found by an access token on /graphql are remembered this long (0: always asked of MySQL) */
  sessionCacheMs?: number;
}

/**
 * Attaches the session principal when the request carries a valid session of THIS tenant: an access token
 * in `Authorization: Bearer` (API clients) or the session cookie (web app); or the API key
 * (`Bearer sk_live_…`) when it is one of this tenant's. Activity slides the session's
 * expiry (written at most once a minute; the cookie is re-issued with it). It never refuses by itself:
 * routes that need a principal ask for one, so sign-in still works with a stale cookie.
 */
export function authenticate(deps: AuthenticateDeps): Middleware {
  const sessions = createSessionCache(deps.sessionCacheMs ?? 0);
  return async (ctx, next) => {
    const tenant = ctx.state.tenant;
    const bearer = bearerToken(ctx);
    if (tenant && bearer?.startsWith('sk_')) {
      // An API key: only ever one of THIS tenant, only on /graphql; it never becomes a session principal.
      if (ctx.path !== '/graphql') return next();
      const key = await findApiKey(deps.db, tenant.id, bearer);
      if (key) {
        await markApiKeyUsed(deps.db, key);
        ctx.state.apiKey = key;
        ctx.state.authVia = 'api_key';
        ctx.state.log = ctx.state.log.child({ userId: key.identityId, apiKeyId: key.keyId });
      }
    } else if (tenant) {
      const found = await principalFor(ctx, deps, tenant.id, sessions);
      if (found) {
        const { principal, cookieToken } = found;
        const slid = await touchSession(deps.db, principal, deps);
        if (slid && cookieToken) ctx.set('Set-Cookie', sessionCookie(cookieToken, slid, deps.cookieSecure));
        ctx.state.principal = principal;
        ctx.state.authVia = cookieToken ? 'cookie' : 'bearer';
        ctx.state.log = ctx.state.log.child({ userId: principal.identityId });
      }
    }
    await next();
  };
}

async function principalFor(
  ctx: AppContext,
  deps: AuthenticateDeps,
  tenantId: string,
  sessions: SessionCache | null,
): Promise<{ principal: SessionPrincipal; cookieToken?: string } | null> {
  const bearer = bearerToken(ctx);
  if (bearer !== undefined) {
    // A bearer credential decides alone: a bad one is not rescued by a cookie on the same request.
    if (!looksLikeJwt(bearer)) return null;
    // only the proxied API path trusts a remembered token; account and session routes always ask MySQL
    const cache = ctx.path === '/graphql' ? sessions : null;
    const remembered = cache?.get(bearer);
    if (remembered && remembered.tenantId === tenantId) return { principal: remembered };
    const claims = await verifyAccessToken(bearer, deps.accessKey);
    if (!claims || claims.tid !== tenantId) return null;
    const principal = await findSessionById(deps.db, tenantId, claims.sid, claims.sub);
    if (principal && principal.stage === 'full') cache?.set(bearer, principal, claims.exp * 1000);
    return principal ? { principal } : null;
  }
  const cookie = ctx.cookies.get(SESSION_COOKIE);
  if (!cookie || !isWellFormedToken(cookie)) return null;
  const principal = await findSession(deps.db, tenantId, cookie);
  return principal ? { principal, cookieToken: cookie } : null;
}

/** The credential in `Authorization: Bearer …`, if the header is there. */
export function bearerToken(ctx: AppContext): string | undefined {
  return /^Bearer\s+(\S+)$/i.exec(ctx.get('Authorization'))?.[1];
}
