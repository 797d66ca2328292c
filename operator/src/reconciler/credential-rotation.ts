import { acceptPasswords, tryLogin } from './mysql-admin.js';
import type { ReconcilerDeps } from './types.js';

export interface RotationOutcome {
  /** the password the tenant's own user logs in with from now on */
  password: string;
  /** this pass promoted a staged password */
  rotated: boolean;
  /** this pass retired the old password */
  settled: boolean;
  /** when to come back to retire the old password */
  requeueAfterMs?: number;
}

/**
 * Rotation without downtime, one idempotent step that resumes wherever a crash left it:
 *
 * 1. `rotate()` on a driver stages a fresh CSPRNG password (sealed, beside the current one).
 * 2. Here: the DB user is made to accept both passwords, the new one is proven by a real login, and only
 *    then promoted to current. Runtimes pick it up when they next read the registry and open a fresh pool;
 *    their open connections stay authenticated, and new ones made with the old password still succeed.
 * 3. A later pass, once `rotationGraceMs` has passed since the promotion (longer than any runtime caches a
 *    registry row), makes the user accept the new password alone.
 *
 * A crash between 2's ALTER and its promotion leaves the old password current and both accepted: the next
 * pass repeats the ALTER (same result) and promotes. A crash after the promotion is step 3's business.
 */
export async function rotateCredentials(
  deps: Pick<ReconcilerDeps, 'admin' | 'tenantDbUrl' | 'credentials' | 'rotationGraceMs'>,
  t: { tenantId: string; user: string; current: string; now: Date },
): Promise<RotationOutcome> {
  const { next, rotatedAt } = await deps.credentials.rotation(t.tenantId);
  if (next && next !== t.current) {
    await acceptPasswords(deps.admin, t.user, [t.current, next]);
    if ((await tryLogin(deps.tenantDbUrl, t.user, next, null)) !== 'ok')
      throw new Error('the DB user does not accept the staged password');
    await deps.credentials.promote(t.tenantId, next);
    return { password: next, rotated: true, settled: false, requeueAfterMs: deps.rotationGraceMs };
  }
  if (next) await deps.credentials.promote(t.tenantId, next); // staged the current one: nothing to do
  if (!rotatedAt) return { password: t.current, rotated: false, settled: false };

  const waited = t.now.getTime() - rotatedAt.getTime();
  if (waited < deps.rotationGraceMs)
    return {
      password: t.current,
      rotated: false,
      settled: false,
      requeueAfterMs: deps.rotationGraceMs - waited,
    };
  await acceptPasswords(deps.admin, t.user, [t.current]);
  await deps.credentials.settle(t.tenantId);
  return { password: t.current, rotated: false, settled: true };
}
