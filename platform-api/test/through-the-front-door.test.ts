/**
 * The walking skeleton end to end over real HTTP: platform-api in front of a real pooled tenant-runtime,
 * both on one platform database, tenants provisioned by the operator's local driver (schema, DB user,
 * migrations). What a user or integrator notices: sign in, create a lead, list it; another tenant's
 * session sees nothing of it; bad input is refused and writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, generateInternalKeys, serve, type Served } from '@solar/common';
import { provisionTestTenant, type TestTenant } from '@solar/operator/testing';
import { buildRuntime, type Runtime } from '@solar/tenant-runtime/app';
import { loadRuntimeConfig } from '@solar/tenant-runtime/config';
import { loadPlatformConfig } from '../src/config.js';
import { createIdentity } from '../src/identity/create-identity.js';
import { startPlatformApi, type PlatformApi } from '../src/server.js';
import { createTestPlatformDb, type TestPlatformDb } from '../src/testing/platform-db.js';

let platform: TestPlatformDb;
let runtime: Runtime;
let runtimeServer: Served;
let api: PlatformApi;
const tenants: TestTenant[] = [];
const PASSWORD = 'correct horse battery staple';

async function post(path: string, slug: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${api.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-tenant': slug, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the API answered
  return { status: res.status, body: (text ? JSON.parse(text) : null) as any };
}

async function signIn(tenant: TestTenant, email: string): Promise<string> {
  const res = await post(
    '/auth/sign-in',
    tenant.slug,
    { email, password: PASSWORD },
    { 'x-session-mode': 'bearer' },
  );
  expect(res.status).toBe(200);
  return res.body.token as string;
}

const gql = (slug: string, token: string, query: string, variables?: Record<string, unknown>) =>
  post('/graphql', slug, { query, variables }, { authorization: `Bearer ${token}` });

const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id fullName email status } } }`;
const LIST = `query($first: Int, $after: String) { leads(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { id fullName email } } } }`;

beforeAll(async () => {
  platform = await createTestPlatformDb();
  const secretKey = randomBytes(32);
  const keys = await generateInternalKeys();
  const logger = createLogger('e2e', 'silent');
  const runtimeConfig = loadRuntimeConfig({
    DATABASE_URL: platform.url,
    PLATFORM_SECRET_KEY: secretKey.toString('base64'),
    INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk),
    LOG_LEVEL: 'silent',
  });
  runtime = await buildRuntime({ config: runtimeConfig, logger, platformDb: platform.db });
  runtimeServer = await serve(runtime.app.callback(), {
    port: 0,
    host: '127.0.0.1',
    logger,
    graceMs: 500,
    handleSignals: false,
  });
  const endpoint = `http://127.0.0.1:${runtimeServer.port}`;
  for (const slug of [`sun-${randomBytes(3).toString('hex')}`, `bolt-${randomBytes(3).toString('hex')}`]) {
    const tenant = await provisionTestTenant({
      platformDb: platform.db,
      secretKey,
      slug,
      runtimeEndpoint: endpoint,
    });
    tenants.push(tenant);
    await createIdentity(platform.db, {
      tenantId: tenant.id,
      email: `rep@${slug}.example`,
      displayName: 'Rep',
      password: PASSWORD,
    });
  }
  api = await startPlatformApi(
    loadPlatformConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: platform.url,
      PLATFORM_SECRET_KEY: secretKey.toString('base64'),
      INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    }),
    { db: platform.db, handleSignals: false },
  );
});

afterAll(async () => {
  await api?.close();
  await runtimeServer?.close();
  await runtime?.close();
  for (const t of tenants) await t.destroy();
  await platform?.drop();
});

describe('through platform-api to the tenant runtime', () => {
  it('a lead created through platform-api is listed through it', async () => {
    const [sun] = tenants;
    const token = await signIn(sun!, `rep@${sun!.slug}.example`);
    const created = await gql(sun!.slug, token, CREATE, {
      input: {
        firstName: 'Rosa',
        lastName: 'Delgado',
        email: 'rosa@example.com',
        source: 'REFERRAL',
        monthlyBill: 212.5,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    const lead = created.body.data.createLead.lead;
    expect(lead).toMatchObject({ fullName: 'Rosa Delgado', email: 'rosa@example.com', status: 'NEW' });

    const listed = await gql(sun!.slug, token, LIST, { first: 10 });
    expect(listed.status).toBe(200);
    expect(listed.body.data.leads.totalCount).toBe(1);
    expect(listed.body.data.leads.edges[0].node).toEqual({
      id: lead.id,
      fullName: 'Rosa Delgado',
      email: 'rosa@example.com',
    });
  });

  it("another tenant's user sees none of it, by list or by id", async () => {
    const [sun, bolt] = tenants;
    const sunToken = await signIn(sun!, `rep@${sun!.slug}.example`);
    const sunLead = (await gql(sun!.slug, sunToken, LIST, { first: 1 })).body.data.leads.edges[0].node;

    const boltToken = await signIn(bolt!, `rep@${bolt!.slug}.example`);
    const listed = await gql(bolt!.slug, boltToken, LIST, { first: 50 });
    expect(listed.body.data.leads).toMatchObject({ totalCount: 0, edges: [] });
    const byId = await gql(bolt!.slug, boltToken, `query($id: ID!) { lead(id: $id) { id } }`, {
      id: sunLead.id,
    });
    expect(byId.body.data.lead).toBeNull();

    // bolt's session presented for sun's tenant is refused outright
    const crossed = await gql(sun!.slug, boltToken, LIST, { first: 50 });
    expect(crossed.status).toBe(401);
  });

  it('bad input gets a 4xx with field-level messages and writes nothing', async () => {
    const [, bolt] = tenants;
    const token = await signIn(bolt!, `rep@${bolt!.slug}.example`);
    const countBefore = (await gql(bolt!.slug, token, LIST, { first: 1 })).body.data.leads.totalCount;

    const badEmail = await gql(bolt!.slug, token, CREATE, {
      input: { firstName: 'Al', lastName: 'Bo', email: 'not-an-email', source: 'WEB_FORM', monthlyBill: -5 },
    });
    expect(badEmail.status).toBe(400);
    const fields = badEmail.body.errors[0].extensions.fields;
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['input.email', 'input.monthlyBill']));

    const missing = await gql(bolt!.slug, token, CREATE, { input: { firstName: 'Al' } });
    expect(missing.status).toBeGreaterThanOrEqual(400);
    expect(missing.status).toBeLessThan(500);
    expect(JSON.stringify(missing.body.errors)).toMatch(/lastName/);

    const oversized = await post(
      '/graphql',
      bolt!.slug,
      { query: CREATE, variables: { input: { notes: 'x'.repeat(2 * 1024 * 1024) } } },
      {
        authorization: `Bearer ${token}`,
      },
    );
    expect(oversized.status).toBe(413);

    const countAfter = (await gql(bolt!.slug, token, LIST, { first: 1 })).body.data.leads.totalCount;
    expect(countAfter).toBe(countBefore);
  });

  it('the runtime refuses a call that did not come through platform-api', async () => {
    const res = await fetch(`http://127.0.0.1:${runtimeServer.port}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': tenants[0]!.slug },
      body: JSON.stringify({ query: LIST }),
    });
    expect(res.status).toBe(401);
  });
});
