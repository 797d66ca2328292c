import { AppError, Unauthorized } from '@solar/common';
import type { AppContext } from '../http/koa.js';
import type { SessionPrincipal } from './session-store.js';

export class MfaEnrollmentRequired extends AppError {
  readonly status = 403;
  readonly code = 'MFA_ENROLLMENT_REQUIRED';
  constructor() {
    super('Your organisation requires two-factor authentication: enrol an authenticator app first');
  }
}

/**
 * The signed-in caller. A session limited to MFA enrolment (tenant requires MFA, caller not yet enrolled)
 * only passes where `allowEnrollment` is set: the enrolment endpoints, the session view and sign-out.
 */
export function requirePrincipal(
  ctx: AppContext,
  options: { allowEnrollment?: boolean } = {},
): SessionPrincipal {
  const principal = ctx.state.principal;
  if (!principal) throw new Unauthorized('Sign in first');
  if (principal.stage !== 'full' && !options.allowEnrollment) throw new MfaEnrollmentRequired();
  return principal;
}
