/** The two kinds of second factor a person can type on the sign-in page. */
export type SecondFactor = { code: string } | { recoveryCode: string };

export type SecondFactorResult =
  { ok: true; value: SecondFactor } | { ok: false; field: 'code' | 'recoveryCode'; message: string };

/**
 * Reads what was typed into the second-step field: authenticator codes forgive spaces and dashes
 * ("123 456"), recovery codes forgive case and surrounding spaces. Messages are ready for the field.
 */
export function readSecondFactor(kind: 'totp' | 'recovery', typed: string): SecondFactorResult {
  if (kind === 'totp') {
    const code = typed.replace(/[\s-]/g, '');
    if (!code) return { ok: false, field: 'code', message: 'Enter the 6-digit code from your app' };
    if (!/^\d{6}$/.test(code))
      return { ok: false, field: 'code', message: 'The code is 6 digits, from your authenticator app' };
    return { ok: true, value: { code } };
  }
  const recoveryCode = typed.trim().toLowerCase();
  if (!recoveryCode) return { ok: false, field: 'recoveryCode', message: 'Enter one of your recovery codes' };
  if (recoveryCode.length > 40)
    return { ok: false, field: 'recoveryCode', message: 'That is not a recovery code' };
  return { ok: true, value: { recoveryCode } };
}
