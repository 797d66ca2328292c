import { InvalidInternalToken, Unauthorized, verifyInternalToken } from '@solar/common';
import type { CryptoKey } from 'jose';
import type { RuntimeState } from '../context.js';
import type { Middleware } from '../http/koa.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/;

/**
 * Every request past the health checks must carry platform-api's internal token. The caller (tenant, user,
 * session, scopes) comes from its verified claims and from nothing else: tenant ids in headers, query,
 * body or variables are never read.
 */
export function authenticate(publicKey: CryptoKey): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const match = BEARER.exec(ctx.get('authorization'));
    if (!match?.[1]) throw new Unauthorized('A bearer token is required');
    let claims;
    try {
      claims = await verifyInternalToken(match[1], publicKey);
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
