import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { deriveAccessTokenKey } from './access-token.js';

const PASSWORD = 'orchid tractor umbrella 9';
const json = { 'content-type': 'application/json' };
let h: Harness;
let acme: TestTenant;
let bolt: TestTenant;

beforeAll(async () => {
  h = await startHarness();
  acme = await h.addTenant({ slug: 'acme' });
  bolt = await h.addTenant({ slug: 'bolt' });
  for (const email of ['ana@acme.test', 'ben@acme.test', 'cy@acme.test', 'dee@acme.test', 'eve@acme.test']) {
    await h.addIdentity(acme, email, PASSWORD);
  }
});
afterAll(() => h?.close());

interface Tokens {
  token: string;
  refreshToken: string;
  expiresAt: string;
}
async function bearerSignIn(tenant: TestTenant, email: string, userAgent = 'undici'): Promise<Tokens> {
  const res = await h.call('POST', '/auth/sign-in', {
    host: tenant.host,
    headers: { ...json, 'x-session-mode': 'bearer', 'user-agent': userAgent },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return res.json<Tokens>();
}
const get = (path: string, token: string, tenant = acme) =>
  h.call('GET', path, { host: tenant.host, headers: { authorization: `Bearer ${token}` } });
const refresh = (refreshToken: string, tenant = acme) =>
  h.call('POST', '/auth/token/refresh', {
    host: tenant.host,
    headers: json,
    body: JSON.stringify({ refreshToken }),
  });
const sidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid;

describe('the session list', () => {
  it('shows the caller’s own sessions with device, ip, times and which one is current', async () => {
    const laptop = await bearerSignIn(
      acme,
      'ana@acme.test',
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) Chrome/120.0 Safari/537.36',
    );
    await bearerSignIn(
      acme,
      'ana@acme.test',
      'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    );
    await bearerSignIn(acme, 'ben@acme.test');
    const res = await get('/auth/sessions', laptop.token);
    expect(res.status).toBe(200);
    const { sessions } = res.json<{ sessions: Array<Record<string, unknown>> }>();
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.device).sort()).toEqual(['Chrome on macOS', 'Firefox on Linux']);
    const current = sessions.find((s) => s.current);
    expect(current).toMatchObject({
      id: sidOf(laptop.token),
      device: 'Chrome on macOS',
      ip: expect.any(String),
    });
    expect(new Date(String(current!.createdAt)).getTime()).toBeLessThanOrEqual(Date.now());
    expect(current!.lastSeenAt).toEqual(expect.any(String));
  });

  it('revokes one session by id (it stops working at once), but not someone else’s', async () => {
    const phone = await bearerSignIn(acme, 'cy@acme.test');
    const desk = await bearerSignIn(acme, 'cy@acme.test');
    const other = await bearerSignIn(acme, 'ben@acme.test');
    const foreign = await h.call('DELETE', `/auth/sessions/${sidOf(other.token)}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${desk.token}` },
    });
    expect(foreign.status).toBe(404);
    expect((await get('/auth/session', other.token)).status).toBe(200);

    const res = await h.call('DELETE', `/auth/sessions/${sidOf(phone.token)}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${desk.token}` },
    });
    expect(res.status).toBe(204);
    // the still-unexpired access token dies with its session, and so does its refresh token
    expect((await get('/auth/session', phone.token)).status).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect((await get('/auth/session', desk.token)).status).toBe(200);
  });

  it('signs out everywhere', async () => {
    const a = await bearerSignIn(acme, 'dee@acme.test');
    const b = await bearerSignIn(acme, 'dee@acme.test');
    const cookie = await h.signInWithCookie(acme, 'dee@acme.test', PASSWORD);
    const res = await h.call('POST', '/auth/sign-out-everywhere', {
      host: acme.host,
      headers: { authorization: `Bearer ${a.token}` },
    });
    expect(res.status).toBe(204);
    expect((await get('/auth/session', a.token)).status).toBe(401);
    expect((await get('/auth/session', b.token)).status).toBe(401);
    const byCookie = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(byCookie.status).toBe(401);
  });

  it('slides the expiry on activity and re-issues the cookie, writing last_seen_at at most once a minute', async () => {
    const cookie = await h.signInWithCookie(acme, 'eve@acme.test', PASSWORD);
    const [row] = await h.platform
      .db('sessions')
      .whereIn('identity_id', h.platform.db('identities').select('id').where({ email: 'eve@acme.test' }));
    const oldExpiry = new Date(Date.now() + 3_600_000);
    await h.platform
      .db('sessions')
      .where({ id: row.id })
      .update({ last_seen_at: new Date(Date.now() - 5 * 60_000), expires_at: oldExpiry });

    const res = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(res.status).toBe(200);
    expect(new Date(res.json<{ expiresAt: string }>().expiresAt).getTime()).toBeGreaterThan(
      Date.now() + 11 * 3_600_000,
    );
    expect(String(res.headers['set-cookie'])).toMatch(/^solar_session=.*Max-Age=4\d{4};/);
    const after = await h.platform.db('sessions').where({ id: row.id }).first();
    expect(after.last_seen_at.getTime()).toBeGreaterThan(Date.now() - 10_000);

    const again = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(again.headers['set-cookie']).toBeUndefined(); // within the minute: no write, no new cookie
  });

  it('never slides past the absolute ceiling of SESSION_MAX_DAYS', async () => {
    const cookie = await h.signInWithCookie(acme, 'eve@acme.test', PASSWORD);
    const session = (await h.platform.db('sessions').orderBy('created_at', 'desc').first()) as { id: string };
    const created = new Date(Date.now() - 30 * 86_400_000 + 3_600_000); // ceiling is one hour away
    await h.platform
      .db('sessions')
      .where({ id: session.id })
      .update({ created_at: created, last_seen_at: new Date(Date.now() - 120_000) });
    const res = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    const expiresAt = new Date(res.json<{ expiresAt: string }>().expiresAt).getTime();
    expect(expiresAt).toBeLessThanOrEqual(created.getTime() + 30 * 86_400_000);
  });
});

describe('access and refresh tokens', () => {
  it('rotates the refresh token: the new pair works, the old refresh token is spent', async () => {
    const first = await bearerSignIn(acme, 'ana@acme.test');
    const res = await refresh(first.refreshToken);
    expect(res.status).toBe(200);
    const next = res.json<Tokens>();
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(sidOf(next.token)).toBe(sidOf(first.token));
    expect((await get('/auth/session', next.token)).status).toBe(200);
    expect((await refresh(next.refreshToken)).status).toBe(200);
  });

  it('revokes the whole family when a used refresh token is presented again, and logs it', async () => {
    const first = await bearerSignIn(acme, 'ben@acme.test');
    const legit = (await refresh(first.refreshToken)).json<Tokens>();
    const stolen = await refresh(first.refreshToken); // the thief replays the old one
    expect(stolen.status).toBe(401);
    expect((await refresh(legit.refreshToken)).status).toBe(401);
    expect((await get('/auth/session', legit.token)).status).toBe(401);
    const ben = await bearerSignIn(acme, 'ben@acme.test');
    const events = (await get('/auth/security-events', ben.token)).json<{
      events: Array<{ type: string; details: { sessionId?: string } }>;
    }>().events;
    expect(events.find((e) => e.type === 'refresh_reuse_detected')?.details.sessionId).toBe(
      sidOf(first.token),
    );
  });

  it('refuses expired, forged and alg:none access tokens', async () => {
    const { token } = await bearerSignIn(acme, 'ana@acme.test');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
      sub: string;
      tid: string;
      sid: string;
    };
    const key = deriveAccessTokenKey(h.config.PLATFORM_SECRET_KEY);
    const sign = (k: Uint8Array, exp: number) =>
      new SignJWT({ tid: claims.tid, sid: claims.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer('solar-crm/platform-api')
        .setAudience('solar-crm/api')
        .setSubject(claims.sub)
        .setExpirationTime(exp)
        .sign(k);
    const now = Math.floor(Date.now() / 1000);
    expect((await get('/auth/session', await sign(key, now + 60))).status).toBe(200); // the control: well-made works
    expect((await get('/auth/session', await sign(key, now - 5))).status).toBe(401);
    expect((await get('/auth/session', await sign(new Uint8Array(32).fill(7), now + 60))).status).toBe(401);
    const none = [
      Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url'),
      token.split('.')[1],
      '',
    ].join('.');
    expect((await get('/auth/session', none)).status).toBe(401);
    const tampered = token.split('.');
    tampered[1] = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    expect((await get('/auth/session', tampered.join('.'))).status).toBe(401);
  });

  it("refuses tenant A's access and refresh tokens on tenant B's host", async () => {
    const tokens = await bearerSignIn(acme, 'ana@acme.test');
    const res = await get('/auth/session', tokens.token, bolt);
    expect(res.status).toBe(401);
    expect((await refresh(tokens.refreshToken, bolt)).status).toBe(401);
    expect((await refresh(tokens.refreshToken)).status).toBe(200); // unspent by the refused attempt
  });
});

describe('security events', () => {
  it("lists only the caller's own events, newest first, with paging", async () => {
    const ana = await bearerSignIn(acme, 'ana@acme.test');
    const res = await get('/auth/security-events?limit=2', ana.token);
    expect(res.status).toBe(200);
    const page = res.json<{
      events: Array<{ id: string; type: string; ip: string; at: string }>;
      nextBefore: string;
    }>();
    expect(page.events).toHaveLength(2);
    expect(page.events[0]).toMatchObject({ type: 'sign_in', ip: expect.any(String), at: expect.any(String) });
    expect(Number(page.events[0]!.id)).toBeGreaterThan(Number(page.events[1]!.id));
    const all = (await get('/auth/security-events?limit=200', ana.token)).json<{
      events: Array<{ details: unknown }>;
    }>().events;
    const anaId = (await h.platform.db('identities').where({ email: 'ana@acme.test' }).first()).id;
    const own = await h.platform.db('security_events').where({ identity_id: anaId }).count({ n: '*' });
    expect(all).toHaveLength(Number(own[0]!.n));
    expect(JSON.stringify(all)).not.toContain(PASSWORD);
    expect(JSON.stringify(all)).not.toContain(ana.refreshToken);
    expect(JSON.stringify(all)).not.toContain('ben@acme');
    expect((await get('/auth/security-events?limit=abc', ana.token)).status).toBe(400);
    expect((await h.call('GET', '/auth/security-events', { host: acme.host })).status).toBe(401);
  });
});
