import * as oidc from 'openid-client';
import { emailSchema } from '../identity/identity.js';
import type { FlowState } from './flow-state.js';
import type { VerifiedSsoAccount } from './link-identity.js';
import type { OidcClients } from './oidc-clients.js';
import { SsoRefused } from './sso-errors.js';
import type { TenantSsoClient } from './tenant-sso-settings.js';

/**
 * The provider's answer on the callback, turned into an account we may sign in: the code is exchanged with
 * the PKCE verifier, openid-client validates the ID token (signature, issuer, audience, expiry, nonce) and
 * the state, then the email must be verified by the provider and inside the tenant's allowed domains.
 * Throws SsoRefused; writes nothing.
 */
export async function completeAuthorization(
  clients: OidcClients,
  client: TenantSsoClient,
  flow: FlowState,
  query: URLSearchParams,
): Promise<VerifiedSsoAccount> {
  const providerError = query.get('error');
  if (providerError)
    throw new SsoRefused('sso_provider_denied', `provider error ${providerError.slice(0, 64)}`);
  // Checked here too (openid-client checks it again) so a mismatch reads as what it is, not as "failed".
  if (query.get('state') !== flow.state) throw new SsoRefused('sso_state_invalid', 'state mismatch');

  const currentUrl = new URL(flow.redirectUri);
  currentUrl.search = query.toString();
  const claims = await clients
    .withClient(client, async (config) => {
      const tokens = await oidc.authorizationCodeGrant(
        config,
        currentUrl,
        { pkceCodeVerifier: flow.codeVerifier, expectedState: flow.state, expectedNonce: flow.nonce },
        { redirect_uri: flow.redirectUri },
      );
      const idToken = tokens.claims();
      if (!idToken) throw new Error('no ID token');
      // Providers that keep the ID token small (oidc-provider, Okta) put the email in UserInfo only.
      if (idToken.email !== undefined) return idToken;
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
      return { ...info, ...idToken, email: info.email, email_verified: info.email_verified };
    })
    .catch((err: unknown) => {
      throw new SsoRefused('sso_failed', describe(err));
    });

  const verified = claims.email_verified === true || claims.email_verified === 'true';
  const email = emailSchema.safeParse(claims.email);
  if (!verified || !email.success)
    throw new SsoRefused('sso_email_unverified', 'email missing or unverified');
  const domain = email.data.slice(email.data.lastIndexOf('@') + 1);
  if (!client.allowedEmailDomains.includes(domain))
    throw new SsoRefused('sso_domain_not_allowed', `domain ${domain} not allowed`);

  return {
    issuer: client.issuer,
    subject: claims.sub,
    email: email.data,
    displayName: displayName(claims, email.data),
  };
}

function displayName(claims: Record<string, unknown>, email: string): string {
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
  const name =
    str(claims.name) ||
    [str(claims.given_name), str(claims.family_name)].filter(Boolean).join(' ') ||
    str(claims.preferred_username) ||
    (email.split('@')[0] ?? email);
  return name.slice(0, 200);
}

/** What went wrong, for the log: error codes and library messages, never tokens or the client secret. */
function describe(err: unknown): string {
  if (err instanceof oidc.ResponseBodyError) return `provider refused: ${err.error}`;
  if (err instanceof oidc.AuthorizationResponseError) return `authorization error: ${err.error}`;
  const e = err as { code?: string; message?: string };
  return `${e.code ?? 'error'}: ${String(e.message ?? err).slice(0, 200)}${failedClaim(err)}`;
}

/** openid-client wraps oauth4webapi's errors; the claim that failed comparison sits somewhere in the causes. */
function failedClaim(err: unknown): string {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    const claim = (e.cause as { claim?: unknown } | undefined)?.claim;
    if (typeof claim === 'string') return ` (claim ${claim})`;
    e = e.cause as { cause?: unknown } | undefined;
  }
  return '';
}
