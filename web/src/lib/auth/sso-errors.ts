/**
 * What the sign-in page says for each `/sign-in?error=<code>` platform-api's SSO callback sends back
 * (platform-api/src/sso/sso-errors.ts). Unknown codes get a general message, never the raw code alone.
 */
const SSO_MESSAGES: Record<string, string> = {
  sso_unavailable:
    'Single sign-on is not set up for this workspace. Sign in with your email and password, or ask an administrator.',
  sso_state_invalid:
    'That sign-in took too long or was started in another window. Start single sign-on again.',
  sso_provider_denied: 'Your identity provider did not complete the sign-in (it was cancelled or refused).',
  sso_failed: "We couldn't complete single sign-on with your identity provider. Try again in a moment.",
  sso_email_unverified:
    'Your identity provider has not verified your email address, so we cannot sign you in with it.',
  sso_domain_not_allowed:
    "Your email address is not in one of this workspace's allowed domains. Ask an administrator.",
  sso_account_disabled: 'Your account in this workspace is disabled. Ask an administrator.',
  sso_account_conflict:
    'Your email belongs to a member already linked to another account at your identity provider. Ask an administrator.',
};

/** The message for an `error` query parameter on /sign-in, or null when there is none to show. */
export function ssoErrorMessage(code: string | null | undefined): string | null {
  if (!code) return null;
  if (code in SSO_MESSAGES) return SSO_MESSAGES[code]!;
  if (code.startsWith('sso_')) return "We couldn't complete single sign-on. Try again.";
  return null;
}
