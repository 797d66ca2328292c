import { audit } from '../audit/security-events.js';
import type { AppContext } from '../http/koa.js';
import type { IdentityRow } from '../identity/identity.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import { signAccessToken } from './access-token.js';
import type { AuthDeps } from './auth-deps.js';
import { issueRefreshToken } from './refresh-tokens.js';
import { sessionCookie } from './session-cookie.js';
import { createSession, type SessionStage } from './session-store.js';

/** API clients ask for tokens in the body with this header; browsers only ever get the HttpOnly cookie. */
export const SESSION_MODE_HEADER = 'X-Session-Mode';

export const wantsBearer = (ctx: AppContext): boolean =>
  ctx.get(SESSION_MODE_HEADER).toLowerCase() === 'bearer';

export const publicTenant = (tenant: RegistryTenant) => ({
  id: tenant.id,
  slug: tenant.slug,
  displayName: tenant.displayName,
});

export const publicUser = (identity: Pick<IdentityRow, 'id' | 'email' | 'display_name'>) => ({
  id: identity.id,
  email: identity.email,
  displayName: identity.display_name,
});

/**
 * The last step of every sign-in (password only, or password + TOTP / recovery code): a session, handed to
 * the browser as the cookie or to an API client as access + refresh token, and the sign_in audit event.
 * Returns the response body.
 */
export async function startSession(
  ctx: AppContext,
  deps: AuthDeps,
  identity: Pick<IdentityRow, 'id' | 'email' | 'display_name'>,
  tenant: RegistryTenant,
  options: { stage: SessionStage; method: 'password' | 'totp' | 'recovery_code' | 'invitation' },
): Promise<Record<string, unknown>> {
  const bearer = wantsBearer(ctx);
  const session = await createSession(deps.db, {
    identityId: identity.id,
    tenantId: tenant.id,
    ttlHours: deps.config.SESSION_TTL_HOURS,
    stage: options.stage,
    mode: bearer ? 'bearer' : 'cookie',
    userAgent: ctx.get('User-Agent'),
    ip: ctx.ip,
  });
  await audit(deps.db, ctx, {
    type: 'sign_in',
    identityId: identity.id,
    details: { sessionId: session.id, method: options.method, mode: bearer ? 'bearer' : 'cookie' },
  });
  ctx.state.log.info({ event: 'sign_in', userId: identity.id, sessionId: session.id }, 'signed in');
  ctx.set('Cache-Control', 'no-store');

  const body: Record<string, unknown> = {
    user: publicUser(identity),
    tenant: publicTenant(tenant),
    expiresAt: session.expiresAt.toISOString(),
    ...(options.stage === 'mfa_enrollment' ? { mfaEnrollmentRequired: true } : {}),
  };
  if (!bearer) {
    ctx.set('Set-Cookie', sessionCookie(session.token, session.expiresAt, deps.config.COOKIE_SECURE));
    return body;
  }
  const access = await signAccessToken(
    { sub: identity.id, tid: tenant.id, sid: session.id },
    deps.accessKey,
    deps.config.ACCESS_TOKEN_TTL_SECONDS,
  );
  return {
    ...body,
    token: access.token,
    tokenExpiresAt: access.expiresAt.toISOString(),
    refreshToken: await issueRefreshToken(deps.db, session.id),
  };
}
