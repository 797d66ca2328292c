import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const PASSWORD = 'orchid tractor umbrella 9';
const json = { 'content-type': 'application/json' };
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let strict: TestTenant;

beforeAll(async () => {
  h = await startHarness();
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  strict = await h.addTenant({ slug: 'strict', endpoint: runtime.endpoint });
  await h.platform.db('tenants').where({ id: strict.id }).update({ mfa_required: true });
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});

/** A code for the step `offset` steps from now; the server accepts one step either side. */
const codeAt = (secret: string, offset: number) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

const post = (tenant: TestTenant, path: string, body: unknown, headers: Record<string, string> = {}) =>
  h.call('POST', path, { host: tenant.host, headers: { ...json, ...headers }, body: JSON.stringify(body) });

/** A new user of `tenant` with TOTP switched on; returns the secret, recovery codes and a bearer token. */
async function enrolledUser(tenant: TestTenant, email: string) {
  await h.addIdentity(tenant, email, PASSWORD);
  const token = await h.signIn(tenant, email, PASSWORD);
  const auth = { authorization: `Bearer ${token}` };
  const enrol = await post(tenant, '/auth/mfa/enroll', {}, auth);
  expect(enrol.status).toBe(200);
  const { secret } = enrol.json<{ secret: string }>();
  const activated = await post(tenant, '/auth/mfa/activate', { code: await codeAt(secret, -1) }, auth);
  expect(activated.status).toBe(200);
  return { secret, token, recoveryCodes: activated.json<{ recoveryCodes: string[] }>().recoveryCodes };
}

async function challengeFor(tenant: TestTenant, email: string): Promise<string> {
  const res = await post(tenant, '/auth/sign-in', { email, password: PASSWORD });
  expect(res.status).toBe(200);
  expect(res.headers['set-cookie']).toBeUndefined();
  const body = res.json<{ mfaRequired: boolean; challenge: string; user?: unknown }>();
  expect(body.mfaRequired).toBe(true);
  expect(body.user).toBeUndefined();
  return body.challenge;
}

describe('TOTP enrolment', () => {
  it('gives a secret, an otpauth URL and an SVG QR code, and stores the secret sealed', async () => {
    const ana = await h.addIdentity(acme, 'ana@acme.test', PASSWORD);
    const token = await h.signIn(acme, 'ana@acme.test', PASSWORD);
    const res = await post(acme, '/auth/mfa/enroll', {}, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    const body = res.json<{ secret: string; otpauthUrl: string; qrCodeDataUrl: string }>();
    expect(body.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(body.otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(body.otpauthUrl).toContain('issuer=Solar%20CRM');
    expect(body.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(body.qrCodeDataUrl.split(',')[1]!, 'base64').toString()).toContain('<svg');
    const row = await h.platform.db('identities').where({ id: ana.id }).first();
    expect(row.mfa_secret_sealed).toMatch(/^v1\./);
    expect(row.mfa_secret_sealed).not.toContain(body.secret);
    expect(row.mfa_enabled_at).toBeNull(); // not on until activated with a code
  });

  it('activates only with a valid code, then returns 10 one-time recovery codes stored hashed', async () => {
    await h.addIdentity(acme, 'ben@acme.test', PASSWORD);
    const token = await h.signIn(acme, 'ben@acme.test', PASSWORD);
    const auth = { authorization: `Bearer ${token}` };
    const { secret } = (await post(acme, '/auth/mfa/enroll', {}, auth)).json<{ secret: string }>();
    const bad = await post(acme, '/auth/mfa/activate', { code: '000000' }, auth);
    expect(bad.status).toBe(401);
    expect(bad.json()).toMatchObject({ error: { code: 'INVALID_CODE' } });
    const malformed = await post(acme, '/auth/mfa/activate', { code: '12ab' }, auth);
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ error: { fields: { code: expect.any(Array) } } });

    const ok = await post(acme, '/auth/mfa/activate', { code: await codeAt(secret, 0) }, auth);
    expect(ok.status).toBe(200);
    const { recoveryCodes } = ok.json<{ recoveryCodes: string[] }>();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await h.platform.db('mfa_recovery_codes').select('code_hash');
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]!);
    const again = await post(acme, '/auth/mfa/enroll', {}, auth);
    expect(again.status).toBe(409);
  });
});

describe('signing in with MFA', () => {
  it('asks for a second step, then creates the session exactly like a password-only sign-in', async () => {
    const { secret } = await enrolledUser(acme, 'cy@acme.test');
    const challenge = await challengeFor(acme, 'cy@acme.test');
    const res = await post(acme, '/auth/mfa/verify', { challenge, code: await codeAt(secret, 0) });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: 'cy@acme.test' }, tenant: { slug: 'acme' } });
    const cookie = /solar_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
    const session = await h.call('GET', '/auth/session', {
      host: acme.host,
      headers: { cookie: `solar_session=${cookie}` },
    });
    expect(session.status).toBe(200);

    const bearer = await post(
      acme,
      '/auth/mfa/verify',
      { challenge: await challengeFor(acme, 'cy@acme.test'), code: await codeAt(secret, 1) },
      { 'x-session-mode': 'bearer' },
    );
    expect(bearer.json()).toMatchObject({ token: expect.any(String), refreshToken: expect.any(String) });
  });

  it('refuses a replayed code, even with a fresh challenge', async () => {
    const { secret } = await enrolledUser(acme, 'dee@acme.test');
    const code = await codeAt(secret, 0);
    expect(
      (await post(acme, '/auth/mfa/verify', { challenge: await challengeFor(acme, 'dee@acme.test'), code }))
        .status,
    ).toBe(200);
    const replay = await post(acme, '/auth/mfa/verify', {
      challenge: await challengeFor(acme, 'dee@acme.test'),
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.json()).toMatchObject({ error: { code: 'INVALID_CODE' } });
    // and an older code than the last accepted one is refused too
    const older = await post(acme, '/auth/mfa/verify', {
      challenge: await challengeFor(acme, 'dee@acme.test'),
      code: await codeAt(secret, -1),
    });
    expect(older.status).toBe(401);
  });

  it('a challenge is single-use and belongs to its tenant', async () => {
    const { secret } = await enrolledUser(acme, 'eve@acme.test');
    const challenge = await challengeFor(acme, 'eve@acme.test');
    const onOtherTenant = await post(strict, '/auth/mfa/verify', {
      challenge,
      code: await codeAt(secret, 0),
    });
    expect(onOtherTenant.status).toBe(401);
    expect(onOtherTenant.json()).toMatchObject({ error: { code: 'INVALID_CHALLENGE' } });
    expect((await post(acme, '/auth/mfa/verify', { challenge, code: await codeAt(secret, 0) })).status).toBe(
      200,
    );
    const reused = await post(acme, '/auth/mfa/verify', { challenge, code: await codeAt(secret, 1) });
    expect(reused.json()).toMatchObject({ error: { code: 'INVALID_CHALLENGE' } });
  });

  it('accepts each recovery code once, and logs its use', async () => {
    const { recoveryCodes } = await enrolledUser(acme, 'fay@acme.test');
    const code = recoveryCodes[3]!;
    const ok = await post(acme, '/auth/mfa/verify', {
      challenge: await challengeFor(acme, 'fay@acme.test'),
      recoveryCode: code.toUpperCase(),
    });
    expect(ok.status).toBe(200);
    const again = await post(acme, '/auth/mfa/verify', {
      challenge: await challengeFor(acme, 'fay@acme.test'),
      recoveryCode: code,
    });
    expect(again.status).toBe(401);
    const token = await (async () => {
      const r = await post(
        acme,
        '/auth/mfa/verify',
        { challenge: await challengeFor(acme, 'fay@acme.test'), recoveryCode: recoveryCodes[4]! },
        { 'x-session-mode': 'bearer' },
      );
      return r.json<{ token: string }>().token;
    })();
    const events = await h.call('GET', '/auth/security-events', {
      host: acme.host,
      headers: { authorization: `Bearer ${token}` },
    });
    const list = events.json<{ events: Array<{ type: string; details: Record<string, unknown> }> }>().events;
    expect(list.filter((e) => e.type === 'recovery_code_used').map((e) => e.details.remaining)).toEqual([
      8, 9,
    ]);
    expect(list.map((e) => e.type)).toEqual(
      expect.arrayContaining(['mfa_enrolled', 'mfa_challenge_failed', 'sign_in']),
    );
    expect(JSON.stringify(list)).not.toContain(code);
  });

  it('disabling needs a current code', async () => {
    const { secret, token } = await enrolledUser(acme, 'gus@acme.test');
    const auth = { authorization: `Bearer ${token}` };
    expect((await post(acme, '/auth/mfa/disable', { code: '123456' }, auth)).status).toBe(401);
    const off = await post(acme, '/auth/mfa/disable', { code: await codeAt(secret, 0) }, auth);
    expect(off.status).toBe(200);
    const plain = await post(acme, '/auth/sign-in', { email: 'gus@acme.test', password: PASSWORD });
    expect(plain.json()).toMatchObject({ user: { email: 'gus@acme.test' } });
    const row = await h.platform.db('identities').where({ email: 'gus@acme.test' }).first();
    expect(row.mfa_secret_sealed).toBeNull();
  });
});

describe('tenant requires MFA', () => {
  it('signs a not-enrolled user into a session limited to enrolment until activation', async () => {
    await h.addIdentity(strict, 'ida@strict.test', PASSWORD);
    const res = await post(
      strict,
      '/auth/sign-in',
      { email: 'ida@strict.test', password: PASSWORD },
      { 'x-session-mode': 'bearer' },
    );
    expect(res.status).toBe(200);
    const body = res.json<{ mfaEnrollmentRequired: boolean; token: string }>();
    expect(body.mfaEnrollmentRequired).toBe(true);
    const auth = { authorization: `Bearer ${body.token}` };

    const blocked = await post(strict, '/graphql', { query: '{ viewer { id } }' }, auth);
    expect(blocked.status).toBe(403);
    expect(blocked.json()).toMatchObject({ error: { code: 'MFA_ENROLLMENT_REQUIRED' } });
    expect(runtime.received).toHaveLength(0);
    expect((await h.call('GET', '/auth/sessions', { host: strict.host, headers: auth })).status).toBe(403);
    expect((await h.call('GET', '/auth/session', { host: strict.host, headers: auth })).json()).toMatchObject(
      { mfaEnrollmentRequired: true },
    );

    const { secret } = (await post(strict, '/auth/mfa/enroll', {}, auth)).json<{ secret: string }>();
    expect((await post(strict, '/auth/mfa/activate', { code: await codeAt(secret, 0) }, auth)).status).toBe(
      200,
    );
    const now = await post(strict, '/graphql', { query: '{ viewer { id } }' }, auth);
    expect(now.status).toBe(200);
    // and MFA cannot be switched off while the tenant requires it
    expect((await post(strict, '/auth/mfa/disable', { code: await codeAt(secret, 1) }, auth)).status).toBe(
      403,
    );
  });
});
