import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { hashSessionToken } from './session-token.js';

let h: Harness;
let acme: TestTenant;
let bolt: TestTenant;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  h = await startHarness();
  acme = await h.addTenant({ slug: 'acme' });
  bolt = await h.addTenant({ slug: 'bolt' });
  await h.addIdentity(acme, 'Ana@Acme.test', 'correct horse battery');
  await h.addIdentity(bolt, 'ana@acme.test', 'thunder mango lantern');
});
afterAll(() => h?.close());

const signIn = (tenant: TestTenant, body: unknown, headers: Record<string, string> = {}) =>
  h.call('POST', '/auth/sign-in', {
    host: tenant.host,
    headers: { ...json, ...headers },
    body: JSON.stringify(body),
  });

describe('POST /auth/sign-in', () => {
  it('signs in with the right password (email case does not matter) and sets an HttpOnly session cookie', async () => {
    const res = await signIn(acme, { email: 'ANA@acme.test', password: 'correct horse battery' });
    expect(res.status).toBe(200);
    const body = res.json<{
      user: { email: string };
      tenant: { slug: string };
      expiresAt: string;
      token?: string;
    }>();
    expect(body.user.email).toBe('ana@acme.test');
    expect(body.tenant).toMatchObject({ id: acme.id, slug: 'acme', displayName: 'acme Solar' });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now() + 11 * 3_600_000);
    expect(body.token).toBeUndefined();

    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^solar_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Secure'); // COOKIE_SECURE is off outside production
  });

  it('stores only the sha256 of the cookie token; bearer mode gets an access token and a refresh token instead', async () => {
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', 'correct horse battery');
    const rows = await h.platform.db('sessions').where({ tenant_id: acme.id });
    expect(rows.some((r: { token_hash: Buffer }) => r.token_hash.equals(hashSessionToken(cookie)))).toBe(
      true,
    );
    expect(rows.some((r: { token_hash: Buffer }) => r.token_hash.toString('utf8').includes(cookie))).toBe(
      false,
    );

    const res = await signIn(
      acme,
      { email: 'ana@acme.test', password: 'correct horse battery' },
      { 'x-session-mode': 'bearer' },
    );
    const body = res.json<{ token: string; tokenExpiresAt: string; refreshToken: string }>();
    expect(body.token.split('.')).toHaveLength(3);
    expect(new Date(body.tokenExpiresAt).getTime()).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(body.refreshToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a wrong password and an unknown email with the same 401 answer', async () => {
    const wrong = await signIn(acme, { email: 'ana@acme.test', password: 'wrong horse' });
    const unknown = await signIn(acme, { email: 'nobody@acme.test', password: 'correct horse battery' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.json()).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'Email or password is incorrect' },
    });
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it("does not accept one tenant's password on another tenant's host", async () => {
    const res = await signIn(bolt, { email: 'ana@acme.test', password: 'correct horse battery' });
    expect(res.status).toBe(401);
  });

  it('answers bad input with 400 and the fields at fault', async () => {
    const res = await signIn(acme, { email: 'not-an-email', password: '' });
    expect(res.status).toBe(400);
    const { error } = res.json<{ error: { code: string; fields: Record<string, string[]> } }>();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(error.fields).sort()).toEqual(['email', 'password']);

    const notJson = await h.call('POST', '/auth/sign-in', { host: acme.host, headers: json, body: '{oops' });
    expect(notJson.status).toBe(400);
    const form = await h.call('POST', '/auth/sign-in', {
      host: acme.host,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'email=ana@acme.test&password=x',
    });
    expect(form.status).toBe(415);
  });
});

describe('sessions', () => {
  it('GET /auth/session shows who is signed in, by cookie or by bearer token', async () => {
    const token = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
    const cookie = await h.signInWithCookie(acme, 'ana@acme.test', 'correct horse battery');
    const byBearer = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { authorization: `Bearer ${token}` },
    });
    const byCookie = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(byBearer.status).toBe(200);
    expect(byBearer.json()).toMatchObject({ user: { email: 'ana@acme.test' }, tenant: { slug: 'acme' } });
    expect(byCookie.json()).toMatchObject({ user: { email: 'ana@acme.test' }, tenant: { slug: 'acme' } });
    const anonymous = await h.call('GET', '/auth/session', { host: acme.host });
    expect(anonymous.status).toBe(401);
  });

  it("never accepts a session of tenant A on tenant B's host", async () => {
    const token = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
    const res = await h.call('GET', '/auth/session', {
      host: bolt.host,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('bolt');
  });

  it('sign-out revokes the session and clears the cookie', async () => {
    const token = await h.signInWithCookie(acme, 'ana@acme.test', 'correct horse battery');
    const out = await h.call('POST', '/auth/sign-out', {
      host: acme.host,
      headers: { cookie: `solar_session=${token}` },
    });
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^solar_session=; Path=\/; Max-Age=0;/);
    const after = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${token}` },
    });
    expect(after.status).toBe(401);
  });

  it('an expired session no longer works', async () => {
    const token = await h.signInWithCookie(acme, 'ana@acme.test', 'correct horse battery');
    await h.platform
      .db('sessions')
      .where({ token_hash: hashSessionToken(token) })
      .update({ expires_at: new Date(Date.now() - 1000) });
    const res = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${token}` },
    });
    expect(res.status).toBe(401);
  });
});

describe('secure cookies', () => {
  it('adds Secure to the session cookie when COOKIE_SECURE is on', async () => {
    const secure = await startHarness({ COOKIE_SECURE: 'true' });
    try {
      const t = await secure.addTenant({ slug: 'sun' });
      await secure.addIdentity(t, 'sam@sun.test', 'bright meadow 4ever');
      const res = await secure.call('POST', '/auth/sign-in', {
        host: t.host,
        headers: json,
        body: JSON.stringify({ email: 'sam@sun.test', password: 'bright meadow 4ever' }),
      });
      expect(res.status).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    } finally {
      await secure.close();
    }
  });
});
