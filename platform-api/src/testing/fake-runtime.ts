import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyInternalToken, type InternalClaims } from '@solar/common';
import type { CryptoKey } from 'jose';

export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** the verified internal token's claims; null when verification failed (and 401 was answered) */
  claims: InternalClaims | null;
}

export interface FakeRuntime {
  /** base URL to store as a tenant's endpoint */
  endpoint: string;
  received: ReceivedRequest[];
  /** Hold every answer this long (to provoke upstream timeouts). */
  delayMs: number;
  /**
   * Answers in place of the default JSON document (REST answers, event streams, 503s…); return false to
   * fall back to the default. Called after the token was verified and the request recorded.
   */
  handler: RuntimeHandler | null;
  close(): Promise<void>;
}

export type RuntimeHandler = (request: ReceivedRequest, res: ServerResponse) => boolean | Promise<boolean>;

/**
 * A stand-in tenant runtime for platform-api tests: it verifies the internal token exactly as the runtime
 * must (public key only), records what reached it, and answers /graphql with a small JSON document.
 */
export async function startFakeRuntime(publicKey: CryptoKey): Promise<FakeRuntime> {
  const received: ReceivedRequest[] = [];
  const state: { delayMs: number; handler: RuntimeHandler | null } = { delayMs: 0, handler: null };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = await verifyInternalToken(bearer, publicKey).catch(() => null);
      const request: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        claims,
      };
      received.push(request);
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      if (res.destroyed) return;
      if (!claims) {
        res
          .writeHead(401, { 'content-type': 'application/json' })
          .end('{"errors":[{"message":"bad token"}]}');
        return;
      }
      if (state.handler && (await state.handler(request, res))) return;
      res
        .writeHead(200, {
          'content-type': 'application/graphql-response+json; charset=utf-8',
          'set-cookie': 'x=1',
        })
        .end(JSON.stringify({ data: { viewer: { id: claims.sub, tenant: claims.tid } } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(ms: number) {
      state.delayMs = ms;
    },
    get handler() {
      return state.handler;
    },
    set handler(handler: RuntimeHandler | null) {
      state.handler = handler;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
