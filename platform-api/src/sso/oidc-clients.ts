import * as oidc from 'openid-client';
import type { TenantSsoClient } from './tenant-sso-settings.js';

export interface OidcClientsOptions {
  /** http:// issuers allowed (tests and local mode only) */
  allowInsecureIssuer: boolean;
  /** how long a discovered provider document is reused; default one hour */
  ttlMs?: number;
  /** per request to the provider; default 10 s */
  timeoutSeconds?: number;
}

export interface OidcClients {
  /**
   * Runs `fn` with an openid-client Configuration for this tenant's client. Provider metadata is discovered
   * once per issuer and shared by every tenant on that provider; the provider's signing keys (JWKS) are kept
   * beside it, so a sign-in costs the token request and nothing more.
   */
  withClient<T>(client: TenantSsoClient, fn: (config: oidc.Configuration) => Promise<T>): Promise<T>;
  /** Forgets every discovered provider (after a settings change, or in tests). */
  clear(): void;
}

interface Discovered {
  expires: number;
  metadata: Promise<oidc.ServerMetadata>;
  jwks?: oidc.ExportedJWKSCache;
}

export function createOidcClients(options: OidcClientsOptions): OidcClients {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const timeout = options.timeoutSeconds ?? 10;
  const byIssuer = new Map<string, Discovered>();

  function discover(issuer: string): Discovered {
    const hit = byIssuer.get(issuer);
    if (hit && hit.expires > Date.now()) return hit;
    const entry: Discovered = {
      expires: Date.now() + ttlMs,
      // The client id does not matter for discovery; only the provider's metadata is kept.
      metadata: oidc
        .discovery(new URL(issuer), 'discovery', undefined, undefined, {
          timeout,
          execute: insecure(issuer) ? [oidc.allowInsecureRequests] : [],
        })
        .then((c) => ({ ...c.serverMetadata() })),
    };
    byIssuer.set(issuer, entry);
    // A failed discovery (provider down, bad issuer) must not be remembered.
    entry.metadata.catch(() => {
      if (byIssuer.get(issuer) === entry) byIssuer.delete(issuer);
    });
    return entry;
  }

  function insecure(issuer: string): boolean {
    if (!issuer.startsWith('http:')) return false;
    if (!options.allowInsecureIssuer) throw new Error('http:// issuers are not allowed here');
    return true;
  }

  return {
    async withClient(client, fn) {
      const entry = discover(client.issuer);
      const metadata = await entry.metadata;
      const config = new oidc.Configuration(
        metadata,
        client.clientId,
        client.clientSecret,
        clientAuth(metadata, client.clientSecret),
      );
      config.timeout = timeout;
      if (insecure(client.issuer)) oidc.allowInsecureRequests(config);
      if (entry.jwks) oidc.setJwksCache(config, entry.jwks);
      try {
        return await fn(config);
      } finally {
        entry.jwks = oidc.getJwksCache(config) ?? entry.jwks;
      }
    },
    clear: () => byIssuer.clear(),
  };
}

/** client_secret_basic is the OIDC default; post only for providers that do not offer basic. */
function clientAuth(metadata: oidc.ServerMetadata, secret: string): oidc.ClientAuth {
  const supported = metadata.token_endpoint_auth_methods_supported;
  return !supported || supported.includes('client_secret_basic')
    ? oidc.ClientSecretBasic(secret)
    : oidc.ClientSecretPost(secret);
}
