import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ProviderClient } from 'oidc-provider';

/** A person the test provider knows; the dev login form signs in as whatever account id is typed. */
export interface TestAccount {
  email: string;
  email_verified: boolean;
  name?: string;
}

export interface TestOidcProvider {
  /** http://127.0.0.1:<port> — the issuer identifier */
  issuer: string;
  /** Registers the clients (the provider reads them once, so this is called exactly once, before any flow). */
  start(clients: ProviderClient[]): void;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (the oidc-provider library, with its development login and consent pages) on a random
 * local port. The HTTP server listens first so the issuer can name its port; the provider is built when the
 * clients are known, since their redirect URIs name the platform-api port.
 */
export async function startTestOidcProvider(
  accounts: Record<string, TestAccount>,
): Promise<TestOidcProvider> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    start(clients) {
      const provider = new Provider(issuer, {
        clients,
        async findAccount(_ctx, sub) {
          const account = accounts[sub];
          if (!account) return undefined;
          return { accountId: sub, claims: async () => ({ sub, ...account }) };
        },
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        cookies: { keys: ['test-only-cookie-key'] },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        // explicit lifetimes (seconds) also keep the library's "default ttl" notices off the test output
        ttl: {
          Interaction: 600,
          Session: 3600,
          Grant: 3600,
          AccessToken: 600,
          IdToken: 600,
          AuthorizationCode: 60,
        },
      });
      // Its own errors are the test's business; keep them off the console.
      provider.on('server_error', () => {});
      handler = provider.callback();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
