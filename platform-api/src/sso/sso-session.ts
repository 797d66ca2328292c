import type { Knex } from '@solar/common';
import { audit } from '../audit/security-events.js';
import type { AppContext } from '../http/koa.js';
import type { IdentityRow } from '../identity/identity.js';
import { sessionCookie } from '../sessions/session-cookie.js';
import { createSession } from '../sessions/session-store.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';

/**
 * The session an SSO sign-in ends with: the same row, cookie and `sign_in` audit event as password sign-in
 * (sessions/start-session.ts), with method `sso`. A thin adapter because startSession's `method` does not
 * name SSO and it writes a JSON body, where this flow answers with a redirect; once startSession accepts
 * 'sso', this file can call it instead. Always a cookie session: a browser redirect has no bearer mode.
 * Takes the transaction so the session is written together with a just-in-time member, or not at all.
 */
export async function startSsoSession(
  ctx: AppContext,
  trx: Knex,
  identity: Pick<IdentityRow, 'id'>,
  tenant: RegistryTenant,
  options: { ttlHours: number; cookieSecure: boolean; via: string },
): Promise<{ sessionId: string; setCookie: string }> {
  const session = await createSession(trx, {
    identityId: identity.id,
    tenantId: tenant.id,
    ttlHours: options.ttlHours,
    // The tenant's provider authenticated the person, second factor included: SSO sessions are full.
    stage: 'full',
    mode: 'cookie',
    userAgent: ctx.get('User-Agent'),
    ip: ctx.ip,
  });
  await audit(trx, ctx, {
    type: 'sign_in',
    identityId: identity.id,
    details: { sessionId: session.id, method: 'sso', mode: 'cookie', via: options.via },
  });
  return {
    sessionId: session.id,
    setCookie: sessionCookie(session.token, session.expiresAt, options.cookieSecure),
  };
}
