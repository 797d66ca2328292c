/**
 * The edge cache and persisted queries end to end: the real platform-api (startPlatformApi, edge cache
 * mounted as in production) in front of a real tenant-runtime with two provisioned tenants. What an API
 * client notices: a persisted query is answered after it was registered once, the second answer comes
 * from the cache, a revalidation gets 304, a change to a lead shows at once, and another tenant never
 * gets the first tenant's answer for the same hash.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInternalKeys } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import { publishChanges } from '@solar/tenant-runtime/engine/events/change-publisher';
import { startTestRuntime, type TestRuntime } from '@solar/tenant-runtime/testing/test-runtime';
import { pino } from 'pino';
import { createClient } from 'redis';
import { loadPlatformConfig, type PlatformConfig } from '../src/config.js';
import { createIdentity } from '../src/identity/create-identity.js';
import { sha256Hex } from '../src/proxy/persisted-queries.js';
import { startPlatformApi, type PlatformApi } from '../src/server.js';

const PASSWORD = 'correct horse battery staple';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEADS = `query Leads($first: Int) { leads(first: $first) { totalCount edges { node { __typename id fullName } } } }`;
const HASH = sha256Hex(LEADS);

let rt: TestRuntime;
let api: PlatformApi;
let sun: TestTenant;
let bolt: TestTenant;
let sunToken: string;
let boltToken: string;
let keyPrefix: string;
let configFor: (redisUrl: string) => PlatformConfig;
const publisher = createClient({ url: REDIS_URL });

interface Reply {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the API answered
  body: any;
}

async function call(
  method: 'GET' | 'POST',
  path: string,
  tenant: TestTenant,
  token: string,
  options: { body?: unknown; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const res = await fetch(`${options.base ?? api.url}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      'x-tenant': tenant.slug,
      authorization: `Bearer ${token}`,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

const persistedGet = (variables: Record<string, unknown>, hash = HASH, query?: string) =>
  '/graphql?' +
  new URLSearchParams({
    ...(query ? { query } : {}),
    variables: JSON.stringify(variables),
    extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }),
  }).toString();

async function signIn(tenant: TestTenant, base = api.url): Promise<string> {
  const res = await fetch(`${base}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant': tenant.slug, 'x-session-mode': 'bearer' },
    body: JSON.stringify({ email: `rep@${tenant.slug}.example`, password: PASSWORD }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

async function createLead(tenant: TestTenant, token: string, firstName: string): Promise<string> {
  const res = await call('POST', '/graphql', tenant, token, {
    body: {
      query: `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`,
      variables: { input: { firstName, lastName: 'Edge', source: 'REFERRAL' } },
    },
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.createLead.lead.id as string;
}

beforeAll(async () => {
  const keys = await generateInternalKeys();
  rt = await startTestRuntime({ env: { INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk) } });
  sun = await rt.provisionTenant();
  bolt = await rt.provisionTenant();
  for (const tenant of [sun, bolt])
    await createIdentity(rt.platform.db, {
      tenantId: tenant.id,
      email: `rep@${tenant.slug}.example`,
      displayName: 'Rep',
      password: PASSWORD,
    });
  keyPrefix = `test:${rt.platform.name}:`;
  configFor = (redisUrl) =>
    loadPlatformConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: rt.platform.url,
      REDIS_URL: redisUrl,
      PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
      INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
      REDIS_KEY_PREFIX: keyPrefix,
      EDGE_CACHE_CHANNEL_PREFIX: `${keyPrefix}changes:`,
    });
  api = await startPlatformApi(configFor(REDIS_URL), { db: rt.platform.db, registryTtlMs: 0 });
  await api.edgeCacheSubscribed;
  await publisher.connect();
  sunToken = await signIn(sun);
  boltToken = await signIn(bolt);
});

afterAll(async () => {
  if (publisher.isOpen) {
    const keys = await publisher.keys(`${keyPrefix}*`);
    if (keys.length) await publisher.del(keys);
    await publisher.close();
  }
  await api?.close();
  await rt?.close();
});

describe('persisted queries and the edge cache, through platform-api to the runtime', () => {
  it('an unknown hash is "not found", the registered one is answered: miss, then hit, then 304', async () => {
    const leadId = await createLead(sun, sunToken, 'Rosa');

    const unknown = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0]).toMatchObject({
      message: 'PersistedQueryNotFound',
      extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
    });

    // Apollo clients register by POSTing the text with its hash
    const registered = await call('POST', '/graphql', sun, sunToken, {
      body: {
        query: LEADS,
        variables: { first: 10 },
        extensions: { persistedQuery: { version: 1, sha256Hash: HASH } },
      },
    });
    expect(registered.status).toBe(200);
    expect(registered.body.data.leads.totalCount).toBe(1);

    const miss = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(miss.status).toBe(200);
    expect(miss.headers.get('x-edge-cache')).toBe('MISS');
    expect(miss.headers.get('cache-control')).toBe('private, max-age=0, must-revalidate');
    expect(miss.headers.get('x-cache-tags')).toBeNull();
    expect(miss.body.data.leads.edges).toEqual([
      { node: { __typename: 'Lead', id: leadId, fullName: 'Rosa Edge' } },
    ]);
    const etag = miss.headers.get('etag');
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);

    const hit = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(hit.headers.get('x-edge-cache')).toBe('HIT');
    expect(hit.headers.get('etag')).toBe(etag);
    expect(hit.body).toEqual(miss.body);

    const revalidated = await call('GET', persistedGet({ first: 10 }), sun, sunToken, {
      headers: { 'if-none-match': etag! },
    });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body).toBeNull();
  });

  it('a lead update, announced as the runtime announces it, is seen by the next GET', async () => {
    const before = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(before.headers.get('x-edge-cache')).toBe('HIT');
    const lead = before.body.data.leads.edges[0].node as { id: string };

    const updated = await call('POST', '/graphql', sun, sunToken, {
      body: {
        query: `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { lead { id fullName } } }`,
        variables: { id: lead.id, input: { firstName: 'Rosalind' } },
      },
    });
    expect(updated.body.errors).toBeUndefined();
    await publishChanges(publisher, sun.id, [{ type: 'Lead', id: lead.id }], {
      channelPrefix: `${keyPrefix}changes:`,
    });

    await expect
      .poll(async () => (await call('GET', persistedGet({ first: 10 }), sun, sunToken)).body.data.leads)
      .toMatchObject({ edges: [{ node: { fullName: 'Rosalind Edge' } }] });
    const after = await call('GET', persistedGet({ first: 10 }), sun, sunToken, {
      headers: { 'if-none-match': before.headers.get('etag')! },
    });
    expect(after.status).toBe(200); // the old ETag no longer matches
  });

  it("tenant B never gets tenant A's answer for the same hash and variables", async () => {
    const warm = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(warm.body.data.leads.totalCount).toBe(1);
    // (an empty list names no entity, so it is not cached: no change event could ever reach it)
    const beaId = await createLead(bolt, boltToken, 'Bea');
    const boltLeads = {
      totalCount: 1,
      edges: [{ node: { __typename: 'Lead', id: beaId, fullName: 'Bea Edge' } }],
    };

    // the hash was registered in tenant A only
    const unregistered = await call('GET', persistedGet({ first: 10 }), bolt, boltToken);
    expect(unregistered.body.errors[0].message).toBe('PersistedQueryNotFound');

    const registered = await call('GET', persistedGet({ first: 10 }, HASH, LEADS), bolt, boltToken);
    expect(registered.headers.get('x-edge-cache')).toBe('MISS');
    expect(registered.body.data.leads).toEqual(boltLeads);
    const again = await call('GET', persistedGet({ first: 10 }), bolt, boltToken);
    expect(again.headers.get('x-edge-cache')).toBe('HIT');
    expect(again.body.data.leads).toEqual(boltLeads);
    // tenant A's ETag means nothing in tenant B
    const crossEtag = await call('GET', persistedGet({ first: 10 }), bolt, boltToken, {
      headers: { 'if-none-match': warm.headers.get('etag')! },
    });
    expect(crossEtag.status).toBe(200);
    expect(crossEtag.body.data.leads).toEqual(boltLeads);

    // and tenant A's cached answer is still its own
    const sunAgain = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(sunAgain.headers.get('x-edge-cache')).toBe('HIT');
    expect(sunAgain.body).toEqual(warm.body);
  });

  it('refuses a query whose text does not match the hash, and runs nothing', async () => {
    const forged = await call('POST', '/graphql', sun, sunToken, {
      body: {
        query: `{ leads(first: 1) { totalCount } }`,
        extensions: { persistedQuery: { version: 1, sha256Hash: HASH } },
      },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    // the registered text for the hash is unchanged
    const still = await call('GET', persistedGet({ first: 10 }), sun, sunToken);
    expect(still.body.data.leads.edges[0].node.__typename).toBe('Lead');
  });

  it('with Redis down, a persisted query sent with its text is still answered (uncached) and the outage is logged', async () => {
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(line) });
    const down = await startPlatformApi(configFor('redis://127.0.0.1:1'), { db: rt.platform.db, logger });
    try {
      const token = await signIn(sun, down.url);
      const withText = await call('GET', persistedGet({ first: 10 }, HASH, LEADS), sun, token, {
        base: down.url,
      });
      expect(withText.status).toBe(200);
      expect(withText.headers.get('x-edge-cache')).toBe('BYPASS');
      expect(withText.body.data.leads.totalCount).toBe(1);
      // without the text there is nothing to run: the client is told to send it
      const hashOnly = await call('GET', persistedGet({ first: 10 }), sun, token, { base: down.url });
      expect(hashOnly.body.errors[0].message).toBe('PersistedQueryNotFound');
      expect(logs.join('\n')).toContain('edge cache: redis unavailable, serving without cache');
    } finally {
      await down.close();
    }
  });
});
