/**
 * Why an SSO sign-in was refused, as the `error` the browser lands with on /sign-in?error=<code>. The web
 * app shows a message per code; anything it does not know reads as "single sign-on failed".
 */
export const SSO_ERROR_CODES = [
  /** the workspace has no SSO configured, or it is switched off */
  'sso_unavailable',
  /** the flow cookie is missing, expired, from another workspace or does not match the answer (state) */
  'sso_state_invalid',
  /** the provider answered with an error (the user cancelled, consent refused, …) */
  'sso_provider_denied',
  /** the provider could not be reached, or its answer failed validation (token exchange, ID token, nonce) */
  'sso_failed',
  /** the provider did not vouch for the email address (email_verified is not true) */
  'sso_email_unverified',
  /** the email address is outside the domains the workspace allows */
  'sso_domain_not_allowed',
  /** the member exists but is disabled */
  'sso_account_disabled',
  /** the email belongs to a member already linked to a different account at this provider */
  'sso_account_conflict',
] as const;
export type SsoErrorCode = (typeof SSO_ERROR_CODES)[number];

/** A refused SSO step; the routes turn it into a redirect, never an error page with details. */
export class SsoRefused extends Error {
  constructor(
    readonly code: SsoErrorCode,
    /** for the log line only: never shown to the user, never contains secrets or tokens */
    readonly reason: string,
  ) {
    super(`sso refused: ${code} (${reason})`);
    this.name = 'SsoRefused';
  }
}
