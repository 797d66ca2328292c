import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const MAX_BODY = 64 * 1024;
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let bolt: TestTenant;
let acmeToken: string;
let anaId: string;

beforeAll(async () => {
  h = await startHarness({ MAX_BODY_BYTES: String(MAX_BODY), UPSTREAM_TIMEOUT_MS: '500' });
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  bolt = await h.addTenant({ slug: 'bolt', endpoint: runtime.endpoint });
  anaId = (await h.addIdentity(acme, 'ana@acme.test', 'correct horse battery')).id;
  acmeToken = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});
beforeEach(() => {
  runtime.received.length = 0;
  runtime.delayMs = 0;
});

const query = JSON.stringify({ query: '{ viewer { id } }' });
const post = (host: string, headers: Record<string, string>, body: string | Buffer = query) =>
  h.call('POST', '/graphql', { host, headers: { 'content-type': 'application/json', ...headers }, body });

describe('/graphql forwarding', () => {
  it("forwards to the tenant's runtime with a valid internal token in place of the client's credentials", async () => {
    const res = await post(acme.host, {
      authorization: `Bearer ${acmeToken}`,
      cookie: 'solar_session=abc; other=1',
      'x-tenant': 'acme',
      'x-request-id': 'req-test-0001',
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/graphql-response+json; charset=utf-8');
    expect(res.json()).toEqual({ data: { viewer: { id: anaId, tenant: acme.id } } });
    expect(res.headers['set-cookie']).toBeUndefined(); // the runtime cannot set cookies on our domain

    expect(runtime.received).toHaveLength(1);
    const got = runtime.received[0]!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/graphql');
    expect(got.body).toBe(query);
    expect(got.claims).toMatchObject({ tid: acme.id, tslug: 'acme', sub: anaId, scopes: ['*'] });
    expect(got.headers.authorization).not.toContain(acmeToken);
    expect(got.headers.cookie).toBeUndefined();
    expect(got.headers['x-tenant']).toBeUndefined();
    expect(got.headers['x-request-id']).toBe('req-test-0001');
  });

  it('the internal token lives 60 seconds and names the session', async () => {
    await post(acme.host, { authorization: `Bearer ${acmeToken}` });
    const token = runtime.received[0]!.headers.authorization!.replace('Bearer ', '');
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      number
    >;
    expect(payload.exp! - payload.iat!).toBe(60);
    const [session] = await h.platform.db('sessions').where({ tenant_id: acme.id }).select('id');
    expect(runtime.received[0]!.claims?.sid).toBe(session.id);
  });

  it('forwards GET with its query string, authenticated by the session cookie', async () => {
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', 'correct horse battery');
    const res = await h.call('GET', '/graphql?query=%7Bviewer%7Bid%7D%7D', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(res.status).toBe(200);
    expect(runtime.received[0]).toMatchObject({ method: 'GET', url: '/graphql?query=%7Bviewer%7Bid%7D%7D' });
  });

  it('refuses without a session, and never calls the runtime', async () => {
    const res = await post(acme.host, {});
    expect(res.status).toBe(401);
    expect(res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(runtime.received).toHaveLength(0);
  });

  it("refuses a session of tenant A on tenant B's host, and never calls the runtime", async () => {
    const viaBearer = await post(bolt.host, { authorization: `Bearer ${acmeToken}` });
    const viaCookie = await post(bolt.host, { cookie: `solar_session=${acmeToken}` });
    const viaHeader = await post('127.0.0.1', { 'x-tenant': 'bolt', authorization: `Bearer ${acmeToken}` });
    expect([viaBearer.status, viaCookie.status, viaHeader.status]).toEqual([401, 401, 401]);
    expect(runtime.received).toHaveLength(0);
  });

  it('answers 413 to an oversized body without calling the runtime', async () => {
    const res = await post(
      acme.host,
      { authorization: `Bearer ${acmeToken}` },
      Buffer.alloc(MAX_BODY + 1, 'a'),
    );
    expect(res.status).toBe(413);
    expect(res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(runtime.received).toHaveLength(0);
  });

  it('answers 413 to an oversized chunked body (no Content-Length) without calling the runtime', async () => {
    const chunks = Array.from({ length: 8 }, () => Buffer.alloc(16 * 1024, 'a'));
    const res = await h.call('POST', '/graphql', {
      host: acme.host,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${acmeToken}` },
      body: Readable.from(chunks) as unknown as Buffer,
    });
    expect(res.status).toBe(413);
    expect(runtime.received).toHaveLength(0);
  });

  it('answers 502 when the runtime cannot be reached', async () => {
    const down = await h.addTenant({ slug: 'down', endpoint: 'http://127.0.0.1:1' });
    await h.addIdentity(down, 'dan@down.test', 'correct horse battery');
    const token = await h.signIn(down, 'dan@down.test', 'correct horse battery');
    const res = await post(down.host, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(502);
    expect(res.json()).toEqual({
      error: { code: 'UPSTREAM_UNAVAILABLE', message: 'The workspace could not be reached' },
    });
  });

  it('keeps serving after a client leaves in the middle of a streamed answer', async () => {
    // an upstream that sends half an answer and then keeps the client waiting
    const slow: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"data":{"leads":[');
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const address = slow.address() as { port: number };
    const trickle = await h.addTenant({ slug: 'trickle', endpoint: `http://127.0.0.1:${address.port}` });
    await h.addIdentity(trickle, 'tia@trickle.test', 'correct horse battery');
    const token = await h.signIn(trickle, 'tia@trickle.test', 'correct horse battery');
    try {
      const leaving = new AbortController();
      const res = await request(`${h.api.url}/graphql`, {
        method: 'POST',
        headers: { host: trickle.host, 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: query,
        signal: leaving.signal,
      });
      expect(res.statusCode).toBe(200);
      leaving.abort();
      await res.body.text().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 200));
      // the process is still up and answering
      const next = await post(acme.host, { authorization: `Bearer ${acmeToken}` });
      expect(next.status).toBe(200);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((resolve) => slow.close(() => resolve()));
    }
  });

  it('answers 504 when the runtime does not answer in time', async () => {
    runtime.delayMs = 2_000;
    const res = await post(acme.host, { authorization: `Bearer ${acmeToken}` });
    expect(res.status).toBe(504);
    expect(res.json()).toMatchObject({ error: { code: 'UPSTREAM_TIMEOUT' } });
  });

  it('answers 503 when the tenant has no routable runtime yet', async () => {
    const unrouted = await h.addTenant({ slug: 'unrouted', endpoint: null });
    await h.addIdentity(unrouted, 'uma@unrouted.test', 'correct horse battery');
    const token = await h.signIn(unrouted, 'uma@unrouted.test', 'correct horse battery');
    const res = await post(unrouted.host, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
  });
});
