import { Router } from '@koa/router';
import { Unauthorized } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { findIdentityByEmail } from '../identity/find-identity.js';
import { emailSchema } from '../identity/identity.js';
import { verifyAgainstDummy, verifyPassword } from '../identity/password-hash.js';
import { createChallenge } from '../mfa/mfa-challenges.js';
import { recordFailure } from '../security/record-failure.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { signAccessToken } from './access-token.js';
import { InvalidCredentials } from './auth-errors.js';
import type { AuthDeps } from './auth-deps.js';
import { rotateRefreshToken } from './refresh-tokens.js';
import { requirePrincipal } from './require-principal.js';
import { clearedSessionCookie } from './session-cookie.js';
import { findSessionById, revokeSession, touchSession } from './session-store.js';
import { publicTenant, startSession } from './start-session.js';

export { SESSION_MODE_HEADER } from './start-session.js';

export const signInSchema = z.object({
  email: emailSchema,
  // bounded so nobody can make us hash megabytes
  password: z.string().min(1, { message: 'is required' }).max(1024),
});

const refreshSchema = z.object({ refreshToken: z.string().min(1, { message: 'is required' }).max(200) });

/** POST /auth/sign-in, /auth/sign-out, /auth/token/refresh; GET /auth/session. */
export function authRoutes(deps: AuthDeps): Router {
  const { db, config, throttle } = deps;
  const router = new Router();

  router.post('/auth/sign-in', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const { email, password } = parseJsonBody(ctx, signInSchema);
    // In back-off the password is not even looked at, so guessing costs the attacker time, not us CPU.
    const ticket = await throttle.begin({ tenantId: tenant.id, email, ip: ctx.ip });

    const identity = await findIdentityByEmail(db, tenant.id, email);
    const passwordOk = identity?.password_hash
      ? await verifyPassword(identity.password_hash, password)
      : await verifyAgainstDummy(password);
    if (!identity || !passwordOk || identity.status !== 'active') {
      await recordFailure(ctx, deps, ticket, identity?.id ?? null, 'sign_in_failed', 'invalid_credentials');
      ctx.state.log.info({ event: 'sign_in_failed' }, 'sign-in refused');
      throw new InvalidCredentials();
    }

    ctx.set('Cache-Control', 'no-store');
    if (identity.mfa_enabled_at) {
      // Second step needed; the failure counters are only cleared once it succeeds.
      await throttle.passed(ticket);
      const { challenge, expiresAt } = await createChallenge(db, identity.id, tenant.id);
      ctx.body = { mfaRequired: true, challenge, challengeExpiresAt: expiresAt.toISOString() };
      return;
    }
    await throttle.succeeded(ticket);
    ctx.body = await startSession(ctx, deps, identity, tenant, {
      stage: tenant.mfaRequired ? 'mfa_enrollment' : 'full',
      method: 'password',
    });
  });

  router.post('/auth/token/refresh', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const { refreshToken } = parseJsonBody(ctx, refreshSchema);
    ctx.set('Cache-Control', 'no-store');
    const rotation = await rotateRefreshToken(db, tenant.id, refreshToken);
    if (rotation.kind === 'reused') {
      await audit(db, ctx, {
        type: 'refresh_reuse_detected',
        identityId: rotation.identityId,
        details: { sessionId: rotation.sessionId },
      });
      ctx.state.log.warn(
        { event: 'refresh_reuse_detected', sessionId: rotation.sessionId },
        'refresh token reused; session revoked',
      );
    }
    const principal =
      rotation.kind === 'rotated'
        ? await findSessionById(db, tenant.id, rotation.sessionId, rotation.identityId)
        : null;
    if (rotation.kind !== 'rotated' || !principal)
      throw new Unauthorized('Refresh token is not valid; sign in again');
    await touchSession(
      db,
      principal,
      { ttlHours: config.SESSION_TTL_HOURS, maxDays: config.SESSION_MAX_DAYS },
      true,
    );
    const access = await signAccessToken(
      { sub: principal.identityId, tid: tenant.id, sid: principal.sessionId },
      deps.accessKey,
      config.ACCESS_TOKEN_TTL_SECONDS,
    );
    ctx.body = {
      token: access.token,
      tokenExpiresAt: access.expiresAt.toISOString(),
      refreshToken: rotation.token,
      expiresAt: principal.expiresAt.toISOString(),
    };
  });

  router.post('/auth/sign-out', async (ctx: AppContext) => {
    requireTenant(ctx);
    const principal = ctx.state.principal;
    if (principal) {
      await revokeSession(db, principal.sessionId);
      await audit(db, ctx, {
        type: 'sign_out',
        identityId: principal.identityId,
        details: { sessionId: principal.sessionId },
      });
      ctx.state.log.info({ event: 'sign_out', sessionId: principal.sessionId }, 'signed out');
    }
    ctx.set('Set-Cookie', clearedSessionCookie(config.COOKIE_SECURE));
    ctx.status = 204;
  });

  router.get('/auth/session', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx, { allowEnrollment: true });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      user: { id: principal.identityId, email: principal.email, displayName: principal.displayName },
      tenant: publicTenant(tenant),
      expiresAt: principal.expiresAt.toISOString(),
      ...(principal.stage === 'mfa_enrollment' ? { mfaEnrollmentRequired: true } : {}),
    };
  });

  return router;
}
