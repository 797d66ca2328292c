import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const PASSWORD = 'orchid tractor umbrella 9';
let h: Harness;
let acme: TestTenant;

beforeAll(async () => {
  h = await startHarness({ TRUSTED_ORIGINS: 'https://app.example.test' });
  acme = await h.addTenant({ slug: 'acme' });
  await h.addIdentity(acme, 'ana@acme.test', PASSWORD);
});
afterAll(() => h?.close());

const signOut = (headers: Record<string, string>) =>
  h.call('POST', '/auth/sign-out', { host: acme.host, headers });
const alive = async (cookie: string) =>
  (await h.call('GET', '/auth/session', { host: acme.host, headers: { cookie: `solar_session=${cookie}` } }))
    .status === 200;

describe('CSRF protection (strict Origin check)', () => {
  it('refuses a cookie-authenticated change from a foreign origin, changes nothing, and logs it', async () => {
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', PASSWORD);
    const res = await signOut({ cookie: `solar_session=${cookie}`, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.json()).toMatchObject({ error: { code: 'CSRF_REFUSED' } });
    expect(await alive(cookie)).toBe(true);
    const logged = await h.platform.db('security_events').where({ type: 'csrf_refused' }).first();
    expect(logged).toMatchObject({ tenant_id: acme.id, identity_id: expect.any(String) });
  });

  it('refuses a foreign Referer, a "null" origin and Sec-Fetch-Site: cross-site too', async () => {
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', PASSWORD);
    const c = `solar_session=${cookie}`;
    expect((await signOut({ cookie: c, referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await signOut({ cookie: c, origin: 'null' })).status).toBe(403);
    expect((await signOut({ cookie: c, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // login CSRF: sign-in from a foreign page is refused as well
    const signIn = await h.call('POST', '/auth/sign-in', {
      host: acme.host,
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ email: 'ana@acme.test', password: PASSWORD }),
    });
    expect(signIn.status).toBe(403);
    expect(await alive(cookie)).toBe(true);
  });

  it('accepts the same origin, a trusted origin, and server-side callers that send no Origin', async () => {
    const origins: Array<Record<string, string>> = [
      { origin: `http://${acme.host}` },
      { origin: 'https://app.example.test' },
      {},
    ];
    for (const headers of origins) {
      const cookie = await h.signInWithCookie(acme, 'ana@acme.test', PASSWORD);
      const res = await signOut({ cookie: `solar_session=${cookie}`, ...headers });
      expect(res.status).toBe(204);
      expect(await alive(cookie)).toBe(false);
    }
  });

  it('does not affect bearer clients, whatever Origin they send', async () => {
    const token = await h.signIn(acme, 'ana@acme.test', PASSWORD);
    const res = await h.call('POST', '/auth/sign-out', {
      host: acme.host,
      headers: { authorization: `Bearer ${token}`, origin: 'https://tool.integrator.example' },
    });
    expect(res.status).toBe(204);
    const bearerSignIn = await h.call('POST', '/auth/sign-in', {
      host: acme.host,
      headers: {
        'content-type': 'application/json',
        'x-session-mode': 'bearer',
        origin: 'https://tool.integrator.example',
      },
      body: JSON.stringify({ email: 'ana@acme.test', password: PASSWORD }),
    });
    expect(bearerSignIn.status).toBe(200);
  });

  it('leaves reads alone', async () => {
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', PASSWORD);
    const res = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}`, origin: 'https://evil.example' },
    });
    expect(res.status).toBe(200);
  });
});
