import type { Knex } from '@solar/common';
import { createHash } from 'node:crypto';
import { findApiKey, markApiKeyUsed, type ApiKeyPrincipal } from '../api-keys/api-key-store.js';
import type { AppContext, Middleware } from '../http/koa.js';
import { claimsToBeClientToken, verifyClientToken } from '../oauth/client-token.js';
import { findLiveClient, markClientUsed } from '../oauth/oauth-client-store.js';
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
  /** HS256 key of OAuth2 client-credentials access tokens; without it they are not accepted */
  clientTokenKey?: Uint8Array;
}

/** Where integrator credentials (API keys, OAuth client tokens) are accepted: the tenant's own API. */
const isTenantApi = (path: string) => path === '/graphql' || path.startsWith('/api/v1/');

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
      // An API key: only ever one of THIS tenant, only on its API; it never becomes a session principal.
      if (!isTenantApi(ctx.path)) return next();
      const key = await findApiKey(deps.db, tenant.id, bearer);
      if (key) {
        await markApiKeyUsed(deps.db, key);
        ctx.state.apiKey = key;
        ctx.state.authVia = 'api_key';
        ctx.state.log = ctx.state.log.child({ userId: key.identityId, apiKeyId: key.keyId });
      }
    } else if (tenant && bearer && deps.clientTokenKey && claimsToBeClientToken(bearer)) {
      // An OAuth2 client token: like an API key (acts as the client's creator, limited to the token's
      // scopes), only for the tenant in its `aud`, and only while the client is live (revocation is immediate).
      if (!isTenantApi(ctx.path)) return next();
      const key = await clientTokenPrincipal(deps, tenant.id, bearer);
      if (key) {
        ctx.state.apiKey = key;
        ctx.state.authVia = 'api_key';
        ctx.state.log = ctx.state.log.child({ userId: key.identityId, oauthClientId: key.keyId });
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

async function clientTokenPrincipal(
  deps: AuthenticateDeps,
  tenantId: string,
  token: string,
): Promise<ApiKeyPrincipal | null> {
  const claims = await verifyClientToken(token, deps.clientTokenKey!, tenantId);
  if (!claims) return null;
  const client = await findLiveClient(deps.db, tenantId, claims.clientRowId);
  if (!client) return null;
  await markClientUsed(deps.db, client);
  // Tokens of one client may carry different scope subsets: each subset is its own viewer (edge cache,
  // rate limit), so an answer cached for a broader token never reaches a narrower one.
  const subset = createHash('sha256').update(claims.scopes.join(' ')).digest('base64url').slice(0, 10);
  return {
    keyId: `oc:${client.id}:${subset}`,
    tenantId,
    identityId: client.createdBy,
    scopes: claims.scopes,
    lastUsedAt: client.lastUsedAt,
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
