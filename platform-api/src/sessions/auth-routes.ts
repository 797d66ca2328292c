import { Router } from '@koa/router';
import type { Knex } from '@solar/common';
import { z } from 'zod';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { findIdentityByEmail } from '../identity/find-identity.js';
import { emailSchema } from '../identity/identity.js';
import { verifyAgainstDummy, verifyPassword } from '../identity/password-hash.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import { InvalidCredentials } from './auth-errors.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import { createSession, revokeSession } from './session-store.js';
import { requirePrincipal } from './require-principal.js';

export const signInSchema = z.object({
  email: emailSchema,
  // bounded so nobody can make us hash megabytes
  password: z.string().min(1, { message: 'is required' }).max(1024),
});

/** API clients ask for the token in the body with this header; browsers only ever get the HttpOnly cookie. */
export const SESSION_MODE_HEADER = 'X-Session-Mode';

export interface AuthRoutesDeps {
  db: Knex;
  sessionTtlHours: number;
  cookieSecure: boolean;
}

/** POST /auth/sign-in, POST /auth/sign-out, GET /auth/session. */
export function authRoutes({ db, sessionTtlHours, cookieSecure }: AuthRoutesDeps): Router {
  const router = new Router();

  router.post('/auth/sign-in', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const { email, password } = parseJsonBody(ctx, signInSchema);
    const identity = await findIdentityByEmail(db, tenant.id, email);
    const passwordOk = identity?.password_hash
      ? await verifyPassword(identity.password_hash, password)
      : await verifyAgainstDummy(password);
    if (!identity || !passwordOk || identity.status !== 'active') {
      ctx.state.log.info({ event: 'sign_in_failed' }, 'sign-in refused');
      throw new InvalidCredentials();
    }

    const session = await createSession(db, {
      identityId: identity.id,
      tenantId: tenant.id,
      ttlHours: sessionTtlHours,
      userAgent: ctx.get('User-Agent'),
      ip: ctx.ip,
    });
    ctx.state.log.info({ event: 'sign_in', userId: identity.id, sessionId: session.id }, 'signed in');
    ctx.set('Set-Cookie', sessionCookie(session.token, session.expiresAt, cookieSecure));
    ctx.set('Cache-Control', 'no-store');
    const bearer = ctx.get(SESSION_MODE_HEADER).toLowerCase() === 'bearer';
    ctx.body = {
      user: { id: identity.id, email: identity.email, displayName: identity.display_name },
      tenant: publicTenant(tenant),
      expiresAt: session.expiresAt.toISOString(),
      ...(bearer ? { token: session.token } : {}),
    };
  });

  router.post('/auth/sign-out', async (ctx: AppContext) => {
    requireTenant(ctx);
    if (ctx.state.principal) {
      await revokeSession(db, ctx.state.principal.sessionId);
      ctx.state.log.info({ event: 'sign_out', sessionId: ctx.state.principal.sessionId }, 'signed out');
    }
    ctx.set('Set-Cookie', clearedSessionCookie(cookieSecure));
    ctx.status = 204;
  });

  router.get('/auth/session', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      user: { id: principal.identityId, email: principal.email, displayName: principal.displayName },
      tenant: publicTenant(tenant),
      expiresAt: principal.expiresAt.toISOString(),
    };
  });

  return router;
}

function publicTenant(tenant: RegistryTenant) {
  return { id: tenant.id, slug: tenant.slug, displayName: tenant.displayName };
}
