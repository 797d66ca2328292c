import { Router } from '@koa/router';
import { NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import type { AppContext } from '../http/koa.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import type { AuthDeps } from './auth-deps.js';
import { describeDevice } from './describe-device.js';
import { requirePrincipal } from './require-principal.js';
import { clearedSessionCookie } from './session-cookie.js';
import { listSessions, revokeAllSessions, revokeOwnSession } from './session-store.js';

const sessionId = z.uuid({ message: 'must be a session id' });

/** GET /auth/sessions, DELETE /auth/sessions/:id, POST /auth/sign-out-everywhere — the caller's own sessions only. */
export function sessionRoutes({ db, config }: AuthDeps): Router {
  const router = new Router();

  router.get('/auth/sessions', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const sessions = await listSessions(db, tenant.id, principal.identityId);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      sessions: sessions.map((s) => ({
        id: s.sessionId,
        device: describeDevice(s.userAgent),
        userAgent: s.userAgent,
        ip: s.ip,
        mode: s.mode,
        createdAt: s.createdAt.toISOString(),
        lastSeenAt: s.lastSeenAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        current: s.sessionId === principal.sessionId,
      })),
    };
  });

  router.delete('/auth/sessions/:id', async (ctx: AppContext & { params: Record<string, string> }) => {
    requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const parsed = sessionId.safeParse(ctx.params.id);
    if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['id']);
    // Someone else's session id answers exactly like an unknown one.
    if (!(await revokeOwnSession(db, principal.identityId, parsed.data)))
      throw new NotFound('No such session');
    await audit(db, ctx, {
      type: 'session_revoked',
      identityId: principal.identityId,
      details: { sessionId: parsed.data },
    });
    if (parsed.data === principal.sessionId)
      ctx.set('Set-Cookie', clearedSessionCookie(config.COOKIE_SECURE));
    ctx.status = 204;
  });

  router.post('/auth/sign-out-everywhere', async (ctx: AppContext) => {
    requireTenant(ctx);
    const principal = requirePrincipal(ctx, { allowEnrollment: true });
    const revoked = await revokeAllSessions(db, principal.identityId);
    await audit(db, ctx, {
      type: 'sessions_revoked_all',
      identityId: principal.identityId,
      details: { revoked },
    });
    ctx.set('Set-Cookie', clearedSessionCookie(config.COOKIE_SECURE));
    ctx.status = 204;
  });

  return router;
}
