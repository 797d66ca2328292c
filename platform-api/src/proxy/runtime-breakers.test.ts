import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { createRuntimeBreakers } from './runtime-breakers.js';

const RESET_MS = 600;
let h: Harness;
let healthy: FakeRuntime;
let bolt: TestTenant;
let boltToken: string;
const runtimes: FakeRuntime[] = [];

beforeAll(async () => {
  h = await startHarness({
    BREAKER_MIN_REQUESTS: '4',
    BREAKER_ERROR_PERCENT: '50',
    BREAKER_RESET_MS: String(RESET_MS),
    UPSTREAM_RETRIES: '2',
    UPSTREAM_RETRY_DELAY_MS: '5',
    UPSTREAM_TIMEOUT_MS: '400',
  });
  healthy = await startFakeRuntime(h.publicKey);
  bolt = await h.addTenant({ slug: 'bolt', endpoint: healthy.endpoint });
  await h.addIdentity(bolt, 'bob@bolt.test', 'correct horse battery');
  boltToken = await h.signIn(bolt, 'bob@bolt.test', 'correct horse battery');
});
afterAll(async () => {
  for (const runtime of [healthy, ...runtimes]) await runtime?.close();
  await h?.close();
});

let sick: FakeRuntime;
let acme: TestTenant;
let acmeToken: string;
let tenants = 0;
/** every test gets its own runtime (so its own, fresh circuit) and a tenant routed to it */
beforeEach(async () => {
  healthy.received.length = 0;
  sick = await startFakeRuntime(h.publicKey);
  runtimes.push(sick);
  acme = await h.addTenant({ slug: `acme-${++tenants}`, endpoint: sick.endpoint });
  await h.addIdentity(acme, 'ana@acme.test', 'correct horse battery');
  acmeToken = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
});

/** The first `failures` requests get 503 from the runtime, later ones the normal answer. */
function failFirst(runtime: FakeRuntime, failures: number, status = 503) {
  let seen = 0;
  runtime.handler = (_got, res) => {
    if (seen++ >= failures) return false;
    res.writeHead(status, { 'content-type': 'application/json' }).end('{"errors":[{"message":"busy"}]}');
    return true;
  };
}

const getQuery = (tenant: TestTenant, token: string) =>
  h.call('GET', '/graphql?query=%7Bviewer%7Bid%7D%7D', {
    host: tenant.host,
    headers: { authorization: `Bearer ${token}` },
  });
const postMutation = (tenant: TestTenant, token: string) =>
  h.call('POST', '/graphql', {
    host: tenant.host,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { touch }' }),
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('retries', () => {
  it('retries a GET query that met a 503, and the caller never sees it', async () => {
    failFirst(sick, 2);
    const res = await getQuery(acme, acmeToken);
    expect(res.status).toBe(200);
    expect(sick.received).toHaveLength(3);
  });

  it('never retries a POST (a mutation): the runtime’s 503 goes back as it is', async () => {
    failFirst(sick, 1);
    const res = await postMutation(acme, acmeToken);
    expect(res.status).toBe(503);
    expect(res.json()).toEqual({ errors: [{ message: 'busy' }] });
    expect(sick.received).toHaveLength(1);
  });

  it('never retries once the runtime answered something else, or started working and timed out', async () => {
    failFirst(sick, 1, 500);
    expect((await getQuery(acme, acmeToken)).status).toBe(500);
    expect(sick.received).toHaveLength(1);
    sick.handler = null;
    sick.received.length = 0;
    sick.delayMs = 1_000;
    expect((await getQuery(acme, acmeToken)).status).toBe(504);
    expect(sick.received).toHaveLength(1);
  });

  it('retries an idempotent request when the connection is refused, until the runtime is back', async () => {
    // a real port nobody listens on yet; a server comes up there after the first attempt
    const probe: Server = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const origin = `http://127.0.0.1:${port}`;
    const pool = new Pool(origin);
    const breakers = createRuntimeBreakers(
      { errorPercent: 50, minRequests: 10, windowMs: 10_000, resetMs: 1_000 },
      { retries: 3, delayMs: 30 },
    );
    let attempts = 0;
    let late: Server | null = null;
    try {
      const answer = await breakers.send(origin, true, async () => {
        attempts++;
        const sent = pool.request({ method: 'GET', path: '/' });
        if (attempts === 1) {
          await sent.catch(() => undefined);
          late = createServer((_req, res) => res.end('back'));
          await new Promise<void>((resolve) => late!.listen(port, '127.0.0.1', resolve));
        }
        return sent;
      });
      expect(await answer.body.text()).toBe('back');
      expect(attempts).toBe(2);
      // and a POST is tried once only
      await new Promise<void>((resolve) => late!.close(() => resolve()));
      late!.closeAllConnections();
      late = null;
      let posts = 0;
      await expect(
        breakers.send(origin, false, () => {
          posts++;
          return pool.request({ method: 'POST', path: '/', body: 'x' });
        }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(posts).toBe(1);
    } finally {
      await pool.close();
      if (late) (late as Server).close();
    }
  });
});

describe('circuit breaker per runtime', () => {
  it('opens on a failing runtime: fast 503 RUNTIME_UNAVAILABLE with Retry-After, the runtime left alone', async () => {
    failFirst(sick, 1_000);
    for (let i = 0; i < 4; i++) await postMutation(acme, acmeToken);
    expect(sick.received).toHaveLength(4);

    const refused = await postMutation(acme, acmeToken);
    expect(refused.status).toBe(503);
    expect(refused.json()).toMatchObject({ error: { code: 'RUNTIME_UNAVAILABLE' } });
    expect(refused.headers['retry-after']).toBe('1');
    expect(sick.received).toHaveLength(4);

    // another runtime's tenants are not affected
    const other = await postMutation(bolt, boltToken);
    expect(other.status).toBe(200);
    expect(healthy.received).toHaveLength(1);
  });

  it('lets one probe through after the reset time, and closes again when the runtime recovered', async () => {
    failFirst(sick, 1_000);
    for (let i = 0; i < 6; i++) await postMutation(acme, acmeToken);
    expect((await postMutation(acme, acmeToken)).json()).toMatchObject({
      error: { code: 'RUNTIME_UNAVAILABLE' },
    });

    sick.handler = null; // recovered
    await sleep(RESET_MS + 100);
    sick.received.length = 0;
    const probe = await postMutation(acme, acmeToken);
    expect(probe.status).toBe(200);
    const after = await Promise.all([1, 2, 3].map(() => postMutation(acme, acmeToken)));
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(sick.received).toHaveLength(4);
  });

  it('a failed probe opens the circuit again at once', async () => {
    failFirst(sick, 1_000);
    for (let i = 0; i < 6; i++) await postMutation(acme, acmeToken);
    await sleep(RESET_MS + 100);
    sick.received.length = 0;
    expect((await postMutation(acme, acmeToken)).status).toBe(503); // the probe, answered by the runtime
    const next = await postMutation(acme, acmeToken);
    expect(next.json()).toMatchObject({ error: { code: 'RUNTIME_UNAVAILABLE' } });
    expect(sick.received).toHaveLength(1);
  });
});
