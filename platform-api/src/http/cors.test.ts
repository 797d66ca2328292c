import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  addOwnedTenant,
  startSettingsGraphql,
  startTxtDnsServer,
  type TxtDnsServer,
} from '../domains/settings-graphql.fixture.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const APP = 'https://app.acme-solar.test';
const BOLT_APP = 'https://portal.bolt.test';
let h: Harness;
let runtime: FakeRuntime;
let dns: TxtDnsServer;
let settings: Awaited<ReturnType<typeof startSettingsGraphql>>;
let acme: { tenant: TestTenant; token: string; email: string };
let bolt: { tenant: TestTenant; token: string };
let acmeCookie: string;

beforeAll(async () => {
  h = await startHarness();
  runtime = await startFakeRuntime(h.publicKey);
  dns = await startTxtDnsServer();
  settings = await startSettingsGraphql(h, dns.server);
  acme = await addOwnedTenant(h, 'acme', runtime.endpoint);
  bolt = await addOwnedTenant(h, 'bolt', runtime.endpoint);
  acmeCookie = await h.signInWithCookie(acme.tenant, acme.email, 'correct horse battery');
  for (const [who, origin] of [
    [acme, APP],
    [bolt, BOLT_APP],
  ] as const) {
    const res = await settings.gql(
      who.tenant,
      who.token,
      `mutation { addCorsOrigin(origin: "${origin}") { corsOrigins } }`,
    );
    expect(res.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await settings?.close();
  await dns?.close();
  await runtime?.close();
  await h?.close();
});
beforeEach(() => {
  runtime.received.length = 0;
});

const preflight = (
  origin: string,
  host = acme.tenant.host,
  requestHeaders = 'content-type, authorization, x-evil',
) =>
  h.call('OPTIONS', '/graphql', {
    host,
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': requestHeaders,
    },
  });
const query = JSON.stringify({ query: '{ viewer { id } }' });
const postWithCookie = (origin: string, host = acme.tenant.host, cookie = acmeCookie) =>
  h.call('POST', '/graphql', {
    host,
    headers: { origin, cookie: `solar_session=${cookie}`, 'content-type': 'application/json' },
    body: query,
  });

describe('per-tenant CORS', () => {
  it("answers a preflight from an allowed origin with that exact origin, and only the API's headers", async () => {
    const res = await preflight(APP);
    expect(res.status).toBe(204);
    expect(res.headers).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'access-control-allow-headers': 'content-type, authorization',
    });
    expect(String(res.headers.vary)).toMatch(/\bOrigin\b/);
    expect(runtime.received).toHaveLength(0);
  });

  it('gives an unknown origin, or another tenant’s origin, no CORS headers at all', async () => {
    for (const res of [
      await preflight('https://evil.test'),
      await preflight(BOLT_APP), // allowed by bolt, not by acme
      await preflight('null'),
      await postWithCookie('https://evil.test').catch(() => null),
    ]) {
      expect(res?.headers['access-control-allow-origin']).toBeUndefined();
      expect(res?.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('allows credentials for cookie sessions from an allowed origin, not for bearer callers', async () => {
    const cookie = await postWithCookie(APP);
    expect(cookie.status).toBe(200);
    expect(cookie.headers['access-control-allow-origin']).toBe(APP);
    expect(cookie.headers['access-control-allow-credentials']).toBe('true');
    expect(String(cookie.headers['access-control-expose-headers'])).toMatch(/RateLimit-Remaining/);

    const bearer = await h.call('POST', '/graphql', {
      host: acme.tenant.host,
      headers: { origin: APP, authorization: `Bearer ${acme.token}`, 'content-type': 'application/json' },
      body: query,
    });
    expect(bearer.status).toBe(200);
    expect(bearer.headers['access-control-allow-origin']).toBe(APP);
    expect(bearer.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('keeps the CSRF origin check: only the tenant’s own listed origins may make cookie changes', async () => {
    expect((await postWithCookie(APP)).status).toBe(200);
    for (const origin of ['https://evil.test', BOLT_APP, 'null']) {
      const res = await postWithCookie(origin);
      expect(res.status, origin).toBe(403);
      expect(res.json(), origin).toMatchObject({ error: { code: 'CSRF_REFUSED' } });
    }
    // bolt's origin on bolt's host does not make acme's session valid there
    const crossTenant = await postWithCookie(BOLT_APP, bolt.tenant.host);
    expect(crossTenant.status).toBe(401);
    expect(runtime.received).toHaveLength(1); // only the request from APP on acme reached the runtime
  });

  it('lets error answers be read by an allowed page too', async () => {
    const res = await h.call('GET', '/graphql?query=%7B__typename%7D', {
      host: acme.tenant.host,
      headers: { origin: APP },
    });
    expect(res.status).toBe(401);
    expect(res.headers['access-control-allow-origin']).toBe(APP);
  });

  it('stops allowing an origin the owner removes', async () => {
    const origin = 'https://temp.acme-solar.test';
    await settings.gql(
      acme.tenant,
      acme.token,
      `mutation { addCorsOrigin(origin: "${origin}") { corsOrigins } }`,
    );
    expect((await preflight(origin)).headers['access-control-allow-origin']).toBe(origin);
    const removed = await settings.gql<{ removeCorsOrigin: { corsOrigins: string[] } }>(
      acme.tenant,
      acme.token,
      `mutation { removeCorsOrigin(origin: "${origin}") { corsOrigins } }`,
    );
    expect(removed.data?.removeCorsOrigin.corsOrigins).toEqual([APP]);
    expect((await preflight(origin)).headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('CORS origins in tenant settings', () => {
  it('refuses what is not a single https origin, with a field message, and changes nothing', async () => {
    for (const bad of [
      '*',
      'http://app.acme.test',
      'https://app.acme.test/path',
      'https://u:p@app.acme.test',
      'not a url',
    ]) {
      const res = await settings.gql(
        acme.tenant,
        acme.token,
        `mutation { addCorsOrigin(origin: "${bad}") { corsOrigins } }`,
      );
      expect(res.errors?.[0]?.extensions?.code, bad).toBe('VALIDATION_FAILED');
      expect(res.errors?.[0]?.extensions?.fields?.origin?.length, bad).toBeGreaterThan(0);
    }
    const now = await settings.gql<{ tenantSettings: { corsOrigins: string[] } }>(
      acme.tenant,
      acme.token,
      `{ tenantSettings { corsOrigins } }`,
    );
    expect(now.data?.tenantSettings.corsOrigins).toEqual([APP]);
  });

  it('stores origins normalised, refuses duplicates, and allows http only for localhost', async () => {
    const added = await settings.gql<{ addCorsOrigin: { corsOrigins: string[] } }>(
      acme.tenant,
      acme.token,
      `mutation { addCorsOrigin(origin: "http://LOCALHOST:5173/") { corsOrigins } }`,
    );
    expect(added.data?.addCorsOrigin.corsOrigins).toEqual(['http://localhost:5173', APP]);
    const again = await settings.gql(
      acme.tenant,
      acme.token,
      `mutation { addCorsOrigin(origin: "${APP}") { corsOrigins } }`,
    );
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await settings.gql(
      acme.tenant,
      acme.token,
      `mutation { removeCorsOrigin(origin: "http://localhost:5173") { slug } }`,
    );
  });

  it('only the owner may change them', async () => {
    await h.addIdentity(acme.tenant, 'rep@acme.test', 'correct horse battery');
    const rep = await h.signIn(acme.tenant, 'rep@acme.test', 'correct horse battery');
    const res = await settings.gql(
      acme.tenant,
      rep,
      `mutation { addCorsOrigin(origin: "https://x.test") { corsOrigins } }`,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
