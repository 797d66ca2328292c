import type { Knex } from '@solar/common';
import type { AppContext, Middleware } from '../http/koa.js';
import { SESSION_COOKIE } from './session-cookie.js';
import { findSession } from './session-store.js';
import { isWellFormedToken } from './session-token.js';

/**
 * Attaches the session principal when the request carries a valid session of THIS tenant, from
 * `Authorization: Bearer <token>` (API clients) or the session cookie (web app). It never refuses by itself:
 * routes that need a principal ask for one, so sign-in still works with a stale cookie.
 */
export function authenticate(db: Knex): Middleware {
  return async (ctx, next) => {
    const tenant = ctx.state.tenant;
    const token = presentedToken(ctx);
    if (tenant && token) {
      const principal = await findSession(db, tenant.id, token);
      if (principal) {
        ctx.state.principal = principal;
        ctx.state.log = ctx.state.log.child({ userId: principal.identityId });
      }
    }
    await next();
  };
}

/** The session token the client presented, if it looks like one of ours. */
export function presentedToken(ctx: AppContext): string | undefined {
  const authorization = ctx.get('Authorization');
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const token = bearer ?? ctx.cookies.get(SESSION_COOKIE);
  return token && isWellFormedToken(token) ? token : undefined;
}
