import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../api-keys/api-key-store.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const HEARTBEAT_MS = 300;
const MAX_DURATION_MS = 4_000;
/** how soon after access ends the stream must end: a few heartbeats, well before the maximum duration */
const ACCESS_END_WITHIN_MS = 2_500;
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let token: string;

beforeAll(async () => {
  h = await startHarness({
    SSE_HEARTBEAT_MS: String(HEARTBEAT_MS),
    SSE_MAX_DURATION_MS: String(MAX_DURATION_MS),
    // shorter than a quiet stream: the relay, not the body timeout, decides when a stream ends
    UPSTREAM_TIMEOUT_MS: '500',
  });
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  await h.addIdentity(acme, 'ana@acme.test', 'correct horse battery');
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});
beforeEach(async () => {
  runtime.received.length = 0;
  token = await h.signIn(acme, 'ana@acme.test', 'correct horse battery');
});

/** A runtime that sends one event at once, then another when `next()` is called, and never ends. */
function subscriptionRuntime() {
  const live: { write?: (chunk: string) => void; closed: boolean } = { closed: false };
  runtime.handler = (_got, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write('event: next\ndata: {"data":{"leadChanged":{"id":"1"}}}\n\n');
    live.write = (chunk) => res.write(chunk);
    res.on('close', () => (live.closed = true));
    return true;
  };
  return live;
}

/** Opens a subscription and reads its chunks as they come, with the time each arrived. */
async function subscribe(headers: Record<string, string> = {}) {
  const started = Date.now();
  const res = await request(`${h.api.url}/graphql`, {
    method: 'POST',
    headers: {
      host: acme.host,
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...headers,
    },
    body: JSON.stringify({ query: 'subscription { leadChanged { id } }' }),
  });
  const chunks: Array<{ at: number; text: string }> = [];
  const done = (async () => {
    for await (const chunk of res.body) chunks.push({ at: Date.now() - started, text: String(chunk) });
    return Date.now() - started;
  })().catch(() => -1); // -1: the test itself closed the stream
  return { res, chunks, done, text: () => chunks.map((c) => c.text).join('') };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (check: () => boolean, ms = 3_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('event streams (GraphQL subscriptions over SSE)', () => {
  it('relays each event as it arrives, unbuffered and uncached', async () => {
    const live = subscriptionRuntime();
    const sub = await subscribe();
    expect(sub.res.statusCode).toBe(200);
    expect(sub.res.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'x-accel-buffering': 'no',
      'cache-control': 'no-cache, no-store',
    });
    expect(sub.res.headers['content-length']).toBeUndefined();
    await until(() => sub.text().includes('leadChanged'));
    live.write!('event: next\ndata: {"data":{"leadChanged":{"id":"2"}}}\n\n');
    await until(() => sub.text().includes('"id":"2"'));
    expect(runtime.received[0]!.headers.accept).toBe('text/event-stream');
    sub.res.body.destroy();
    await until(() => live.closed); // the client left: the upstream subscription is closed too
  });

  it('keeps a quiet stream open past the upstream timeout with ": ping" comments', async () => {
    subscriptionRuntime();
    const sub = await subscribe();
    await until(() => (sub.text().match(/^: ping$/gm) ?? []).length >= 2);
    // pings only come at event boundaries, so the relayed text is still a valid event stream
    expect(sub.text()).toMatch(/^event: next\ndata: .+\n\n(: ping\n\n)+$/);
    sub.res.body.destroy();
  });

  it('ends the stream after the maximum duration (the client reconnects)', async () => {
    const live = subscriptionRuntime();
    const sub = await subscribe();
    const endedAfter = await sub.done;
    expect(endedAfter).toBeGreaterThanOrEqual(MAX_DURATION_MS - 100);
    expect(endedAfter).toBeLessThan(MAX_DURATION_MS + 1_500);
    await until(() => live.closed);
  });

  it('ends the stream soon after the caller signs out', async () => {
    const live = subscriptionRuntime();
    const sub = await subscribe();
    await until(() => sub.text().includes('leadChanged'));
    const signedOut = Date.now();
    const out = await h.call('POST', '/auth/sign-out', {
      host: acme.host,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBe(204);
    await sub.done;
    // within a few heartbeats (the access check is cached briefly), well before the maximum duration
    expect(Date.now() - signedOut).toBeLessThan(ACCESS_END_WITHIN_MS);
    await until(() => live.closed);
  });

  it('ends an API key’s stream soon after the key is revoked', async () => {
    subscriptionRuntime();
    const [identity] = (await h.platform
      .db('identities')
      .where({ tenant_id: acme.id })
      .select('id')) as Array<{
      id: string;
    }>;
    const { key, view } = await createApiKey(h.platform.db, {
      tenantId: acme.id,
      createdBy: identity!.id,
      name: 'live feed',
      scopes: ['*'],
      expiresAt: null,
    });
    const sub = await subscribe({ authorization: `Bearer ${key}` });
    expect(sub.res.statusCode).toBe(200);
    await until(() => sub.text().includes('leadChanged'));
    await sleep(HEARTBEAT_MS * 2); // still live while the key is
    expect(sub.chunks.length).toBeGreaterThan(1);
    const revoked = Date.now();
    await h.platform.db('api_keys').where({ id: view.id }).update({ revoked_at: new Date() });
    await sub.done;
    expect(Date.now() - revoked).toBeLessThan(ACCESS_END_WITHIN_MS);
  });

  it('never serves an event stream from the edge cache', async () => {
    subscriptionRuntime();
    const hash = 'a'.repeat(64);
    const path = `/graphql?extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }))}`;
    const res = await request(`${h.api.url}${path}`, {
      headers: { host: acme.host, authorization: `Bearer ${token}`, accept: 'text/event-stream' },
    });
    expect(res.headers['x-edge-cache']).toBeUndefined();
    await res.body.dump();
  });
});
