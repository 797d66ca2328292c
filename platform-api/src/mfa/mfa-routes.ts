import { Router } from '@koa/router';
import { AppError, Conflict, Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import { audit } from '../audit/security-events.js';
import { parseJsonBody } from '../http/json-body.js';
import type { AppContext } from '../http/koa.js';
import { findIdentityById } from '../identity/find-identity.js';
import type { IdentityRow } from '../identity/identity.js';
import { recordFailure } from '../security/record-failure.js';
import type { AuthDeps } from '../sessions/auth-deps.js';
import { requirePrincipal } from '../sessions/require-principal.js';
import { setSessionStage } from '../sessions/session-store.js';
import { startSession } from '../sessions/start-session.js';
import { requireTenant } from '../tenancy/require-tenant.js';
import { failChallenge, findChallenge, spendChallenge } from './mfa-challenges.js';
import {
  checkTotp,
  claimTimeStep,
  newEnrolment,
  newRecoveryCodes,
  openMfaSecret,
  replaceRecoveryCodes,
  sealMfaSecret,
  useRecoveryCode,
} from './totp.js';

/** A wrong, expired or replayed code: one answer for all, so none can be told apart. */
export class InvalidCode extends AppError {
  readonly status = 401;
  readonly code = 'INVALID_CODE';
  constructor() {
    super('The code is not valid');
  }
}

const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, { message: 'must be the 6-digit code from your authenticator app' });
const verifySchema = z
  .object({
    challenge: z.string().min(1, { message: 'is required' }).max(100),
    code: code.optional(),
    recoveryCode: z.string().trim().min(1).max(40).optional(),
  })
  .refine((b) => (b.code === undefined) !== (b.recoveryCode === undefined), {
    message: 'send either code or recoveryCode',
    path: ['code'],
  });
const codeSchema = z.object({ code });

/**
 * TOTP MFA: POST /auth/mfa/verify (second sign-in step), /auth/mfa/enroll, /auth/mfa/activate,
 * /auth/mfa/disable. Shapes are documented in the README.
 */
export function mfaRoutes(deps: AuthDeps): Router {
  const { db, config, secretKey, throttle } = deps;
  const router = new Router();

  router.post('/auth/mfa/verify', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const body = parseJsonBody(ctx, verifySchema);
    const challenge = await findChallenge(db, tenant.id, body.challenge);
    const identity = challenge ? await findIdentityById(db, tenant.id, challenge.identityId) : undefined;
    if (!challenge || !identity || identity.status !== 'active' || !identity.mfa_enabled_at) {
      throw new InvalidChallenge();
    }
    const ticket = await throttle.begin({ tenantId: tenant.id, email: identity.email, ip: ctx.ip });

    let method: 'totp' | 'recovery_code';
    if (body.code !== undefined) {
      method = 'totp';
      if (!(await acceptTotp(identity, body.code))) {
        await failChallenge(db, challenge.id);
        await recordFailure(ctx, deps, ticket, identity.id, 'mfa_challenge_failed', 'invalid_totp');
        throw new InvalidCode();
      }
    } else {
      method = 'recovery_code';
      const remaining = await useRecoveryCode(db, identity.id, body.recoveryCode ?? '');
      if (remaining === null) {
        await failChallenge(db, challenge.id);
        await recordFailure(ctx, deps, ticket, identity.id, 'mfa_challenge_failed', 'invalid_recovery_code');
        throw new InvalidCode();
      }
      await audit(db, ctx, { type: 'recovery_code_used', identityId: identity.id, details: { remaining } });
    }
    if (!(await spendChallenge(db, challenge.id))) throw new InvalidChallenge();
    await throttle.succeeded(ticket);
    ctx.body = await startSession(ctx, deps, identity, tenant, { stage: 'full', method });
  });

  router.post('/auth/mfa/enroll', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx, { allowEnrollment: true });
    const identity = await mustFind(tenant.id, principal.identityId);
    if (identity.mfa_enabled_at)
      throw new Conflict('Two-factor authentication is already on; disable it first');
    const enrolment = await newEnrolment(config.MFA_ISSUER, `${identity.email} (${tenant.slug})`);
    // Pending until activated with a code; enrolling again replaces the pending secret.
    await db('identities')
      .where({ id: identity.id })
      .update({
        mfa_secret_sealed: sealMfaSecret(enrolment.secret, secretKey, identity.id),
        mfa_last_step: null,
      });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = enrolment;
  });

  router.post('/auth/mfa/activate', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx, { allowEnrollment: true });
    const { code: totp } = parseJsonBody(ctx, codeSchema);
    const identity = await mustFind(tenant.id, principal.identityId);
    if (identity.mfa_enabled_at) throw new Conflict('Two-factor authentication is already on');
    if (!identity.mfa_secret_sealed)
      throw new ValidationFailed({ code: ['start enrolment first'] }, 'Nothing to activate');
    if (!(await acceptTotp(identity, totp))) throw new InvalidCode();

    const recoveryCodes = newRecoveryCodes();
    await replaceRecoveryCodes(db, identity.id, recoveryCodes);
    await db('identities').where({ id: identity.id }).update({ mfa_enabled_at: new Date() });
    if (principal.stage !== 'full') await setSessionStage(db, principal.sessionId, 'full');
    await audit(db, ctx, {
      type: 'mfa_enrolled',
      identityId: identity.id,
      details: { sessionId: principal.sessionId },
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { mfaEnabled: true, recoveryCodes };
  });

  router.post('/auth/mfa/disable', async (ctx: AppContext) => {
    const tenant = requireTenant(ctx);
    const principal = requirePrincipal(ctx);
    const { code: totp } = parseJsonBody(ctx, codeSchema);
    const identity = await mustFind(tenant.id, principal.identityId);
    if (!identity.mfa_enabled_at) throw new Conflict('Two-factor authentication is not on');
    if (tenant.mfaRequired) throw new Forbidden('Your organisation requires two-factor authentication');
    if (!(await acceptTotp(identity, totp))) throw new InvalidCode();
    await db.transaction(async (trx) => {
      await trx('mfa_recovery_codes').where({ identity_id: identity.id }).delete();
      await trx('identities')
        .where({ id: identity.id })
        .update({ mfa_secret_sealed: null, mfa_enabled_at: null, mfa_last_step: null });
    });
    await audit(db, ctx, {
      type: 'mfa_disabled',
      identityId: identity.id,
      details: { sessionId: principal.sessionId },
    });
    ctx.body = { mfaEnabled: false };
  });

  async function mustFind(tenantId: string, identityId: string): Promise<IdentityRow> {
    const identity = await findIdentityById(db, tenantId, identityId);
    if (!identity) throw new NotFound('No such user');
    return identity;
  }

  /** Valid for the identity's secret and not used before (the accepted step is claimed atomically). */
  async function acceptTotp(identity: IdentityRow, totp: string): Promise<boolean> {
    if (!identity.mfa_secret_sealed) return false;
    const secret = openMfaSecret(identity.mfa_secret_sealed, secretKey, identity.id);
    const last =
      identity.mfa_last_step === null || identity.mfa_last_step === undefined
        ? null
        : Number(identity.mfa_last_step);
    const step = await checkTotp(secret, totp, last);
    return step !== null && (await claimTimeStep(db, identity.id, step));
  }

  return router;
}

/** Unknown, expired, spent or exhausted challenge: the sign-in must start again. */
export class InvalidChallenge extends AppError {
  readonly status = 401;
  readonly code = 'INVALID_CHALLENGE';
  constructor() {
    super('This sign-in has expired; sign in again');
  }
}
