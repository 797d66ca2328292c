import { InvalidInternalToken, Unauthorized, verifyInternalToken, type InternalClaims } from '@solar/common';
import { decodeJwt, type CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { RuntimeState } from '../context.js';
import type { Middleware } from '../http/koa.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;
/** verifyInternalToken accepts tokens at most this old (maxTokenAge), whatever their exp says */
const MAX_TOKEN_AGE_MS = 5 * 60_000;

/**
 * platform-api reuses each internal token for many requests (proxy/internal-token-cache.ts), so the runtime
 * remembers the ones it verified until they expire: an EdDSA verification per request was a measurable part
 * of each request's CPU. The key is the whole token, signature included, so only a byte-identical token
 * that already passed verification is ever answered from here, and never past its exp.
 */
function createVerifiedTokens() {
  const cache = new LRUCache<string, InternalClaims>({ max: 10_000, ttlAutopurge: false });
  return {
    async verify(token: string, publicKey: CryptoKey): Promise<InternalClaims> {
      const known = cache.get(token);
      if (known) return known;
      const claims = await verifyInternalToken(token, publicKey);
      const { exp, iat } = decodeJwt(token);
      const until = Math.min((exp ?? 0) * 1000, (iat ?? 0) * 1000 + MAX_TOKEN_AGE_MS);
      const ttl = until - Date.now();
      if (ttl > 0) cache.set(token, claims, { ttl });
      return claims;
    },
  };
}

/**
 * Every request past the health checks must carry platform-api's internal token. The caller (tenant, user,
 * session, scopes) comes from its verified claims and from nothing else: tenant ids in headers, query,
 * body or variables are never read.
 */
export function authenticate(publicKey: CryptoKey): Middleware<RuntimeState> {
  const verified = createVerifiedTokens();
  return async (ctx, next) => {
    const match = BEARER.exec(ctx.get('authorization'));
    if (!match?.[1]) throw new Unauthorized('A bearer token is required');
    let claims;
    try {
      claims = await verified.verify(match[1], publicKey);
    } catch (err) {
      if (!(err instanceof InvalidInternalToken)) throw err;
      ctx.state.log.info({ reason: err.message }, 'token rejected');
      throw new Unauthorized('The token is invalid or has expired');
    }
    ctx.state.caller = {
      tenantId: claims.tid,
      tenantSlug: claims.tslug,
      userId: claims.sub,
      sessionId: claims.sid,
      scopes: claims.scopes,
      ...(claims.email !== undefined ? { email: claims.email } : {}),
      ...(claims.name !== undefined ? { name: claims.name } : {}),
    };
    ctx.state.log = ctx.state.log.child({ tenant: claims.tid, tenantSlug: claims.tslug, userId: claims.sub });
    return next();
  };
}
