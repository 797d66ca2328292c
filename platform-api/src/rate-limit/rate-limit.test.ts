import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import type { PlanLimitTable } from './plan-limits.js';

const PASSWORD = 'orchid tractor umbrella 9';
const planLimits: PlanLimitTable = {
  starter: { tenant: 8, user: 4, ip: 6 },
  growth: { tenant: 20, user: 10, ip: 15 },
  enterprise: { tenant: 100, user: 50, ip: 80 },
};
let h: Harness;
let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;

beforeAll(async () => {
  h = await startHarness({ TRUST_PROXY: 'true' }, { planLimits });
});
afterAll(() => h?.close());

async function tenantWithUser(harness: Harness, slug: string, plan = 'starter') {
  const tenant = await harness.addTenant({ slug });
  await harness.platform.db('tenants').where({ id: tenant.id }).update({ plan });
  await harness.addIdentity(tenant, `ana@${slug}.test`, PASSWORD);
  return tenant;
}
const signIn = (harness: Harness, tenant: TestTenant, ip: string) =>
  harness.call('POST', '/auth/sign-in', {
    host: tenant.host,
    headers: { 'content-type': 'application/json', 'x-session-mode': 'bearer', 'x-forwarded-for': ip },
    body: JSON.stringify({ email: `ana@${tenant.slug}.test`, password: PASSWORD }),
  });
const session = (harness: Harness, tenant: TestTenant, token: string, ip: string) =>
  harness.call('GET', '/auth/session', {
    host: tenant.host,
    headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip },
  });

describe('rate limits', () => {
  it('limits a user, with RateLimit-* headers for the tightest limit and a 429 JSON error with Retry-After', async () => {
    const acme = await tenantWithUser(h, 'acme');
    const ip = freshIp();
    const { token } = (await signIn(h, acme, ip)).json<{ token: string }>();
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await session(h, acme, token, ip));
    expect(answers.slice(0, 4).map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(answers[0]!.headers).toMatchObject({ 'ratelimit-limit': '4', 'ratelimit-remaining': '3' });
    expect(answers[3]!.headers['ratelimit-remaining']).toBe('0');
    expect(Number(answers[3]!.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(answers[3]!.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    const refused = answers[4]!;
    expect(refused.status).toBe(429);
    expect(refused.json()).toMatchObject({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('limits one address across tenants, judged by the plan of the tenant it calls', async () => {
    const bolt = await tenantWithUser(h, 'bolt', 'growth');
    const ipt = await tenantWithUser(h, 'ipt', 'starter');
    const ip = freshIp();
    const anonymous = (t: TestTenant, from = ip) =>
      h.call('GET', '/auth/session', { host: t.host, headers: { 'x-forwarded-for': from } });
    for (let i = 0; i < 6; i++) expect((await anonymous(bolt)).status).toBe(401);
    // the starter tenant allows 6 per address, and this address has used 6 already
    const refused = await anonymous(ipt);
    expect(refused.status).toBe(429);
    expect(refused.headers['ratelimit-limit']).toBe('6');
    // growth allows 15, so the same address may still call the growth tenant
    expect((await anonymous(bolt)).status).toBe(401);
    expect((await anonymous(ipt, freshIp())).status).toBe(401);
  });

  it('limits a whole tenant across users and addresses', async () => {
    const sun = await tenantWithUser(h, 'sun');
    const statuses = [];
    for (let i = 0; i < 9; i++) statuses.push((await signIn(h, sun, freshIp())).status);
    expect(statuses.slice(0, 8).every((s) => s === 200)).toBe(true);
    expect(statuses[8]).toBe(429);
  });

  it('sizes the limits by plan', async () => {
    const small = await tenantWithUser(h, 'small', 'starter');
    const big = await tenantWithUser(h, 'big', 'growth');
    expect((await signIn(h, small, freshIp())).headers['ratelimit-limit']).toBe('6');
    expect((await signIn(h, big, freshIp())).headers['ratelimit-limit']).toBe('15');
  });

  it('counts REST and token requests too, so neither is a way around the limits', async () => {
    const rest = await tenantWithUser(h, 'rest');
    const ip = freshIp();
    const api = await h.call('GET', '/api/v1/leads', { host: rest.host, headers: { 'x-forwarded-for': ip } });
    expect(api.headers['ratelimit-limit']).toBe('6');
    expect(api.headers['ratelimit-remaining']).toBe('5');
    const token = await h.call('POST', '/oauth/token', {
      host: rest.host,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
      body: 'grant_type=client_credentials&client_id=nobody&client_secret=nothing',
    });
    expect(token.headers['ratelimit-remaining']).toBe('4');
  });

  it('leaves health probes alone', async () => {
    const res = await h.call('GET', '/healthz');
    expect(res.headers['ratelimit-limit']).toBeUndefined();
  });

  it('still serves and limits, in memory, when Redis is unreachable — and says so in the log', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const offline = await startHarness(
      { TRUST_PROXY: 'true', REDIS_URL: 'redis://127.0.0.1:1' },
      { planLimits, logger: pino({ level: 'warn' }, sink) },
    );
    try {
      const t = await tenantWithUser(offline, 'acme');
      const ip = freshIp();
      const { token } = (await signIn(offline, t, ip)).json<{ token: string }>();
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await session(offline, t, token, ip)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
      expect(lines.join('')).toMatch(/redis unavailable/);
    } finally {
      await offline.close();
    }
  });
});
