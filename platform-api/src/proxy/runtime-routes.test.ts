import { createServer, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../api-keys/api-key-store.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const MAX_BODY = 64 * 1024;
const IMPORT_MAX_BODY = 4 * MAX_BODY;
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let bolt: TestTenant;
let acmeToken: string;
let anaId: string;

beforeAll(async () => {
  h = await startHarness({
    MAX_BODY_BYTES: String(MAX_BODY),
    // the bulk import may carry four times the default here
    ROUTE_BODY_LIMITS: `POST /graphql=${IMPORT_MAX_BODY},POST /api/v1/leads/import=${IMPORT_MAX_BODY}`,
    UPSTREAM_TIMEOUT_MS: '500',
  });
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
  runtime.handler = null;
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

  it('lets only the lead import mutation past the default limit on /graphql', async () => {
    const csv = 'first_name,last_name\n' + 'Ada,Lovelace\n'.repeat(MAX_BODY / 6);
    const importLeads = JSON.stringify({
      query: 'mutation Import($csv: String!) { importLeads(csv: $csv) { imported } }',
      variables: { csv },
    });
    expect(importLeads.length).toBeGreaterThan(MAX_BODY);
    const imported = await post(acme.host, { authorization: `Bearer ${acmeToken}` }, importLeads);
    expect(imported.status).toBe(200);
    expect(runtime.received[0]!.body).toBe(importLeads);

    const otherMutation = JSON.stringify({
      query: 'mutation($n: String!) { importLeads(csv: "") { imported } createLead(notes: $n) { id } }',
      variables: { n: csv },
    });
    const refused = await post(acme.host, { authorization: `Bearer ${acmeToken}` }, otherMutation);
    expect(refused.status).toBe(413);
    expect(refused.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const anonymous = await post(acme.host, {}, importLeads);
    expect(anonymous.status).toBe(401);
    expect(runtime.received).toHaveLength(1);
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

describe('/api/v1 forwarding (REST)', () => {
  const bearer = () => ({ authorization: `Bearer ${acmeToken}` });
  /** a REST runtime: echoes what it got, with the headers a real one sets */
  const restRuntime = () => {
    runtime.handler = (got, res) => {
      const created = got.method === 'POST';
      res
        .writeHead(created ? 201 : 200, {
          'content-type': 'application/json; charset=utf-8',
          etag: '"v2"',
          ...(created ? { location: '/api/v1/leads/l-9', 'idempotent-replayed': 'true' } : {}),
          'set-cookie': 'runtime=1',
        })
        .end(JSON.stringify({ method: got.method, url: got.url, body: got.body }));
      return true;
    };
  };

  it('forwards every method with its path, query string and body, as the signed-in caller', async () => {
    restRuntime();
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const body = method === 'GET' || method === 'DELETE' ? undefined : '{"firstName":"Ada"}';
      const res = await h.call(method, '/api/v1/leads/l-1?fields=id,name', {
        host: acme.host,
        headers: { ...bearer(), cookie: 'solar_session=x', 'content-type': 'application/json' },
        ...(body ? { body } : {}),
      });
      expect(res.status, method).toBe(method === 'POST' ? 201 : 200);
      expect(res.json(), method).toEqual({
        method,
        url: '/api/v1/leads/l-1?fields=id,name',
        body: body ?? '',
      });
      expect(res.headers['set-cookie'], method).toBeUndefined();
    }
    expect(runtime.received.map((r) => r.method)).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    for (const got of runtime.received) {
      expect(got.claims).toMatchObject({ tid: acme.id, sub: anaId, scopes: ['*'] });
      expect(got.headers.cookie).toBeUndefined();
      expect(got.headers.authorization).not.toContain(acmeToken);
    }
  });

  it('passes Idempotency-Key, If-Match and If-None-Match up, and ETag, Location, Idempotent-Replayed back', async () => {
    restRuntime();
    const created = await h.call('POST', '/api/v1/leads', {
      host: acme.host,
      headers: { ...bearer(), 'content-type': 'application/json', 'idempotency-key': 'imp-42' },
      body: '{"firstName":"Ada"}',
    });
    expect(created.status).toBe(201);
    expect(created.headers).toMatchObject({
      location: '/api/v1/leads/l-9',
      'idempotent-replayed': 'true',
      etag: '"v2"',
    });
    await h.call('PATCH', '/api/v1/leads/l-9', {
      host: acme.host,
      headers: { ...bearer(), 'content-type': 'application/json', 'if-match': '"v1"' },
      body: '{"firstName":"Ada"}',
    });
    await h.call('GET', '/api/v1/leads/l-9', {
      host: acme.host,
      headers: { ...bearer(), 'if-none-match': '"v2"' },
    });
    expect(runtime.received.map((r) => r.headers['idempotency-key'])).toEqual([
      'imp-42',
      undefined,
      undefined,
    ]);
    expect(runtime.received[1]!.headers['if-match']).toBe('"v1"');
    expect(runtime.received[2]!.headers['if-none-match']).toBe('"v2"');
  });

  it("forwards an API key's request as its creator with the key's scopes; on another tenant it is refused", async () => {
    restRuntime();
    const { key, view } = await createApiKey(h.platform.db, {
      tenantId: acme.id,
      createdBy: anaId,
      name: 'crm sync',
      scopes: ['leads:read'],
      expiresAt: null,
    });
    const res = await h.call('GET', '/api/v1/leads', {
      host: acme.host,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(res.status).toBe(200);
    expect(runtime.received[0]!.claims).toMatchObject({
      tid: acme.id,
      sub: anaId,
      sid: view.id,
      scopes: ['leads:read'],
    });
    expect(runtime.received[0]!.headers.authorization).not.toContain(key);
    const elsewhere = await h.call('GET', '/api/v1/leads', {
      host: bolt.host,
      headers: { authorization: `Bearer ${key}` },
    });
    expect(elsewhere.status).toBe(401);
    expect(runtime.received).toHaveLength(1);
  });

  it('refuses anonymous callers and sessions of another tenant without calling the runtime', async () => {
    const anonymous = await h.call('GET', '/api/v1/leads', { host: acme.host });
    const otherTenant = await h.call('GET', '/api/v1/leads', { host: bolt.host, headers: bearer() });
    expect([anonymous.status, otherTenant.status]).toEqual([401, 401]);
    expect(runtime.received).toHaveLength(0);
  });

  it('keeps the default body limit on ordinary routes but lets the import route carry its own', async () => {
    restRuntime();
    const big = Buffer.alloc(MAX_BODY * 2, 'a');
    const post = (path: string, body: Buffer, headers: Record<string, string> = bearer()) =>
      h.call('POST', path, { host: acme.host, headers: { 'content-type': 'text/csv', ...headers }, body });
    expect((await post('/api/v1/leads', big)).status).toBe(413);
    expect(runtime.received).toHaveLength(0);

    const imported = await post('/api/v1/leads/import', big);
    expect(imported.status).toBe(201);
    expect(runtime.received).toHaveLength(1);
    expect(runtime.received[0]!.body).toHaveLength(big.length);

    const tooBig = await post('/api/v1/leads/import', Buffer.alloc(IMPORT_MAX_BODY + 1, 'a'));
    expect(tooBig.status).toBe(413);
    expect(tooBig.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    // an anonymous caller is refused before its large body is read
    expect((await post('/api/v1/leads/import', big, {})).status).toBe(401);
    expect(runtime.received).toHaveLength(1);
  });

  it('answers 404 for a path outside /api/v1 without calling the runtime', async () => {
    const res = await h.call('GET', '/api/v2/leads', { host: acme.host, headers: bearer() });
    expect(res.status).toBe(404);
    expect(runtime.received).toHaveLength(0);
  });
});
