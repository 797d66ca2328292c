import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const PASSWORD = 'orchid tractor umbrella 9';
let h: Harness;
let acme: TestTenant;
let ipCounter = 0;
/** Each test gets its own client address (TRUST_PROXY is on), so per-IP counters do not leak between tests. */
const freshIp = () => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: 'true', LOCKOUT_BASE_DELAY_SECONDS: '1' });
  acme = await h.addTenant({ slug: 'acme' });
  for (const name of ['ana', 'ben', 'cy', 'dee', 'eve', 'fay', 'gus'])
    await h.addIdentity(acme, `${name}@acme.test`, PASSWORD);
});
afterAll(() => h?.close());

const signIn = (harness: Harness, tenant: TestTenant, email: string, password: string, ip: string) =>
  harness.call('POST', '/auth/sign-in', {
    host: tenant.host,
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password }),
  });

describe('brute-force protection', () => {
  it('after 5 failures answers 429 with Retry-After, even to the right password, then backs off exponentially', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++)
      expect((await signIn(h, acme, 'ana@acme.test', `wrong guess ${i}`, ip)).status).toBe(401);
    const locked = await signIn(h, acme, 'ana@acme.test', PASSWORD, freshIp());
    expect(locked.status).toBe(429);
    expect(locked.json()).toMatchObject({ error: { code: 'TOO_MANY_ATTEMPTS' } });
    expect(Number(locked.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    await new Promise((r) => setTimeout(r, 1_100));
    // one more failure after the first delay doubles it
    expect((await signIn(h, acme, 'ana@acme.test', 'wrong again', freshIp())).status).toBe(401);
    const longer = await signIn(h, acme, 'ana@acme.test', PASSWORD, freshIp());
    expect(longer.status).toBe(429);
    expect(Number(longer.headers['retry-after'])).toBe(2);

    await new Promise((r) => setTimeout(r, 2_100));
    expect((await signIn(h, acme, 'ana@acme.test', PASSWORD, freshIp())).status).toBe(200);
    // success cleared the account's failures: one new failure does not lock it again
    expect((await signIn(h, acme, 'ana@acme.test', 'wrong once', freshIp())).status).toBe(401);
    expect((await signIn(h, acme, 'ana@acme.test', PASSWORD, freshIp())).status).toBe(200);
  });

  it('does not even verify the password while locked (no argon2 work, same answer for right and wrong)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 5; i++) await signIn(h, acme, 'ben@acme.test', `nope ${i}`, ip);
    const started = performance.now();
    const right = await signIn(h, acme, 'ben@acme.test', PASSWORD, freshIp());
    const wrong = await signIn(h, acme, 'ben@acme.test', 'still wrong', freshIp());
    expect(right.status).toBe(429);
    expect(wrong.json()).toEqual(right.json());
    // each argon2id verification takes tens of milliseconds; two refused attempts did none
    expect(performance.now() - started).toBeLessThan(150);
  });

  it('locks an address that fails across many accounts, without locking those accounts elsewhere', async () => {
    const attacker = freshIp();
    const victims = ['cy', 'dee', 'eve', 'fay', 'gus'];
    for (const v of victims)
      expect((await signIn(h, acme, `${v}@acme.test`, 'spray 12345', attacker)).status).toBe(401);
    const fromAttacker = await signIn(h, acme, 'cy@acme.test', PASSWORD, attacker);
    expect(fromAttacker.status).toBe(429);
    expect((await signIn(h, acme, 'cy@acme.test', PASSWORD, freshIp())).status).toBe(200);
  });

  it('lets a parallel burst verify no more guesses than the threshold allows', async () => {
    await h.addIdentity(acme, 'hal@acme.test', PASSWORD);
    const burst = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signIn(h, acme, 'hal@acme.test', `burst ${i}`, freshIp())),
    );
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(7);
    const verified = await h.platform
      .db('security_events')
      .where({ type: 'sign_in_failed' })
      .whereIn('identity_id', h.platform.db('identities').select('id').where({ email: 'hal@acme.test' }))
      .count({ n: '*' });
    expect(Number(verified[0]!.n)).toBeLessThanOrEqual(5);
  });

  it('writes sign_in_failed and locked_out to the security log, without the password', async () => {
    const ana = await h.platform.db('identities').where({ email: 'ana@acme.test' }).first();
    const events = await h.platform.db('security_events').where({ identity_id: ana.id }).orderBy('id');
    const types = events.map((e: { type: string }) => e.type);
    expect(types.filter((t: string) => t === 'sign_in_failed').length).toBeGreaterThanOrEqual(6);
    expect(types).toContain('locked_out');
    expect(types).toContain('sign_in');
    const lock = events.find((e: { type: string }) => e.type === 'locked_out');
    expect(lock).toMatchObject({ tenant_id: acme.id, ip: expect.stringMatching(/^198\.51\.100\./) });
    expect(JSON.stringify(events)).not.toContain('wrong guess');
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('keeps counting in memory when Redis is down, and still serves sign-in', async () => {
    const offline = await startHarness({
      TRUST_PROXY: 'true',
      LOCKOUT_BASE_DELAY_SECONDS: '60',
      REDIS_URL: 'redis://127.0.0.1:1', // nothing listens there
    });
    try {
      const t = await offline.addTenant({ slug: 'acme' });
      await offline.addIdentity(t, 'ana@acme.test', PASSWORD);
      expect((await signIn(offline, t, 'ana@acme.test', PASSWORD, freshIp())).status).toBe(200);
      for (let i = 0; i < 5; i++)
        expect((await signIn(offline, t, 'ana@acme.test', `bad ${i}`, freshIp())).status).toBe(401);
      const locked = await signIn(offline, t, 'ana@acme.test', PASSWORD, freshIp());
      expect(locked.status).toBe(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(50);
    } finally {
      await offline.close();
    }
  });
});
