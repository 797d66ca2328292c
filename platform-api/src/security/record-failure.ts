import { audit, type SecurityEventType } from '../audit/security-events.js';
import type { AppContext } from '../http/koa.js';
import type { AuthDeps } from '../sessions/auth-deps.js';
import type { Ticket } from './sign-in-throttle.js';

/** A failed password, code or client secret: counted for back-off and written to the audit log with any lock-out it started. */
export async function recordFailure(
  ctx: AppContext,
  deps: AuthDeps,
  ticket: Ticket,
  identityId: string | null,
  type: Extract<
    SecurityEventType,
    'sign_in_failed' | 'mfa_challenge_failed' | 'oauth_token_failed' | 'admin_sign_in_failed'
  >,
  reason: string,
  extra: Record<string, string> = {},
): Promise<void> {
  const lockouts = await deps.throttle.failed(ticket);
  await audit(deps.db, ctx, { type, identityId, details: { ...extra, reason } });
  for (const lockout of lockouts) {
    await audit(deps.db, ctx, { type: 'locked_out', identityId, details: { ...lockout } });
    ctx.state.log.warn({ event: 'locked_out', ...lockout }, 'sign-in back-off started');
  }
}
