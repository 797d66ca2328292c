import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, parseKey, type Knex } from '@solar/common';
import { createLocalDriver, type LocalDriver } from '@solar/operator/local/driver';
import { request } from 'undici';
import { bodyLimit } from '../http/body-limit.js';
import { errorHandler } from '../http/error-handler.js';
import { createKoa } from '../http/koa.js';
import { requestId } from '../http/request-id.js';
import { requestLog } from '../http/request-log.js';
import { deriveAccessTokenKey } from '../sessions/access-token.js';
import { authenticate } from '../sessions/authenticate.js';
import { resolveTenant } from '../tenancy/resolve-tenant.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { testServerUrl } from '../testing/platform-db.js';
import { createPlatformAdmin } from './platform-admins.js';
import { PLATFORM_GRAPHQL_PATH, platformGraphql } from './platform-graphql.js';
import type { TenantDriver } from './tenant-driver.js';

const logger = createLogger('platform-graphql-test', 'silent');
const PASSWORD = 'correct horse battery staple 42';
const ADMIN_PASSWORD = 'violet-otter-marmalade-1987';
const slug = `sun${Date.now().toString(36)}`;

let harness: Harness;
let admin: Knex;
let driver: LocalDriver;
let failingDriver: LocalDriver;
const servers: Server[] = [];

interface GqlAnswer<T> {
  status: number;
  data?: T;
  errors?: Array<{ message: string; extensions?: { code?: string; fields?: Record<string, string[]> } }>;
}

/** The platform GraphQL behind the same middleware app.ts puts before it, over HTTP. */
async function serve(tenantDriver: TenantDriver): Promise<string> {
  const { config, platform } = harness;
  const app = createKoa({ proxy: false });
  app.silent = true;
  app.use(requestId());
  app.use(requestLog(logger));
  app.use(errorHandler());
  app.use(bodyLimit(config.MAX_BODY_BYTES));
  app.use(resolveTenant(harness.api.registry, config.BASE_DOMAIN));
  app.use(
    authenticate({
      db: platform.db,
      accessKey: deriveAccessTokenKey(config.PLATFORM_SECRET_KEY),
      cookieSecure: false,
      ttlHours: config.SESSION_TTL_HOURS,
      maxDays: config.SESSION_MAX_DAYS,
    }),
  );
  app.use(
    platformGraphql({
      db: platform.db,
      driver: tenantDriver,
      platformSecretKey: config.PLATFORM_SECRET_KEY,
      baseDomain: config.BASE_DOMAIN,
      secure: false,
    }),
  );
  const server = createServer(app.callback());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let url: string;
let failingUrl: string;

async function gql<T>(
  query: string,
  variables: Record<string, unknown> = {},
  options: { token?: string; host?: string; base?: string } = {},
): Promise<GqlAnswer<T>> {
  const res = await request(`${options.base ?? url}${PLATFORM_GRAPHQL_PATH}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.host ? { host: options.host } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.body.json()) as Omit<GqlAnswer<T>, 'status'>;
  return { status: res.statusCode, ...body };
}

const SIGNUP = `mutation($input: SignupInput!) { signup(input: $input) { tenant { slug phase } signInUrl } }`;
const signupInput = (over: Record<string, string> = {}) => ({
  companyName: 'Bright Roofs Ltd',
  slug,
  adminEmail: 'owner@brightroofs.example',
  adminName: 'Olive Owner',
  password: PASSWORD,
  ...over,
});

async function adminToken(): Promise<string> {
  const res = await gql<{ adminSignIn: { token: string } }>(
    `mutation($e: String!, $p: String!) { adminSignIn(email: $e, password: $p) { token expiresAt } }`,
    { e: 'ops@solarcrm.example', p: ADMIN_PASSWORD },
  );
  if (!res.data) throw new Error(JSON.stringify(res.errors));
  return res.data.adminSignIn.token;
}

async function tenantIdsOf(slugPattern: string): Promise<string[]> {
  const rows = (await harness.platform
    .db('tenants')
    .where('slug', 'like', slugPattern)
    .select('id')) as Array<{
    id: string;
  }>;
  return rows.map((r) => r.id);
}

const created: string[] = [];
const failedIds = new Set<string>();

beforeAll(async () => {
  harness = await startHarness();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
  const driverOptions = {
    platformDb: harness.platform.db,
    adminDbUrl: testServerUrl,
    secretKey: parseKey(harness.config.PLATFORM_SECRET_KEY),
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger,
  };
  driver = createLocalDriver(driverOptions);
  // crashes while migrating the tenant schema: provisioning never reaches Ready
  failingDriver = createLocalDriver({
    ...driverOptions,
    faults: (p) => {
      if (p.step === 'migrate' && p.when === 'before') {
        failedIds.add(p.tenantId);
        throw new Error('simulated crash');
      }
    },
  });
  url = await serve(driver);
  failingUrl = await serve(failingDriver);
  await createPlatformAdmin(harness.platform.db, {
    email: 'ops@solarcrm.example',
    displayName: 'Ops',
    password: ADMIN_PASSWORD,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  await driver?.close();
  await failingDriver?.close();
  created.push(...(await tenantIdsOf('%')), ...failedIds);
  for (const id of new Set(created)) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await harness?.close();
});

describe('self-service signup', () => {
  let tenant: TestTenant;
  let ownerToken: string;

  it('provisions a Ready workspace whose admin can sign in through /auth/sign-in', async () => {
    const res = await gql<{ signup: { tenant: { slug: string; phase: string }; signInUrl: string } }>(
      SIGNUP,
      {
        input: signupInput(),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.signup.tenant).toEqual({ slug, phase: 'Ready' });
    expect(res.data?.signup.signInUrl).toBe(`http://${slug}.${harness.config.BASE_DOMAIN}/sign-in`);

    const [id] = await tenantIdsOf(slug);
    if (!id) throw new Error('no tenant row');
    tenant = { id, slug, host: `${slug}.${harness.config.BASE_DOMAIN}` };
    ownerToken = await harness.signIn(tenant, 'owner@brightroofs.example', PASSWORD);
    expect(ownerToken.split('.')).toHaveLength(3);
  }, 120_000);

  it('lets the owner see and change the workspace settings', async () => {
    const opts = { token: ownerToken, host: tenant.host };
    const mfa = await gql<{ setMfaRequired: { mfaRequired: boolean } }>(
      `mutation { setMfaRequired(required: true) { mfaRequired } }`,
      {},
      opts,
    );
    expect(mfa.data?.setMfaRequired.mfaRequired).toBe(true);

    const domain = await gql<{
      addDomain: { domain: string; verified: boolean; txtName: string; txtValue: string };
    }>(
      `mutation { addDomain(domain: "CRM.BrightRoofs.example") { domain verified txtName txtValue } }`,
      {},
      opts,
    );
    expect(domain.data?.addDomain).toMatchObject({
      domain: 'crm.brightroofs.example',
      verified: false,
      txtName: '_solarcrm-verify.crm.brightroofs.example',
    });
    expect(domain.data?.addDomain.txtValue).toMatch(/^solarcrm-verify=[0-9a-f]{32}$/);

    const plan = await gql<{ requestPlanChange: { plan: string; pendingPlanChange: { toPlan: string } } }>(
      `mutation { requestPlanChange(plan: "growth") { plan pendingPlanChange { toPlan } } }`,
      {},
      opts,
    );
    expect(plan.data?.requestPlanChange).toEqual({
      plan: 'starter',
      pendingPlanChange: { toPlan: 'growth' },
    });

    const removed = await gql<{ removeDomain: { domains: unknown[] } }>(
      `mutation { removeDomain(domain: "crm.brightroofs.example") { domains { domain } } }`,
      {},
      opts,
    );
    expect(removed.data?.removeDomain.domains).toEqual([]);
  });

  it('refuses settings to anyone but the owner', async () => {
    await harness.addIdentity(tenant, 'rep@brightroofs.example', PASSWORD);
    const repToken = await harness.signIn(tenant, 'rep@brightroofs.example', PASSWORD);
    const res = await gql(`{ tenantSettings { slug } }`, {}, { token: repToken, host: tenant.host });
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await gql(`{ tenantSettings { slug } }`);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a reserved slug and a taken slug', async () => {
    const reserved = await gql(SIGNUP, { input: signupInput({ slug: 'admin' }) });
    expect(reserved.status).toBe(400);
    expect(reserved.errors?.[0]?.extensions?.fields?.slug).toEqual(['is reserved']);

    const taken = await gql(SIGNUP, { input: signupInput({ adminEmail: 'other@example.com' }) });
    expect(taken.status).toBe(409);
    expect(taken.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('refuses a weak password with a field error and creates nothing', async () => {
    const weakSlug = `${slug}-weak`;
    const res = await gql(SIGNUP, { input: signupInput({ slug: weakSlug, password: 'password1234' }) });
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.fields?.password?.length).toBeGreaterThan(0);
    expect(await tenantIdsOf(weakSlug)).toEqual([]);
  });

  it('leaves nothing behind when provisioning fails, so the slug can be used again', async () => {
    const failSlug = `${slug}-fail`;
    const res = await gql(SIGNUP, { input: signupInput({ slug: failSlug }) }, { base: failingUrl });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAVAILABLE');
    expect(await tenantIdsOf(failSlug)).toEqual([]);
    const [id] = [...failedIds];
    if (!id) throw new Error('provisioning never reached the migrate step');
    const [schemas] = (await admin.raw('SHOW DATABASES LIKE ?', [`t_${id}`])) as [unknown[]];
    expect(schemas).toEqual([]);
    const [users] = (await admin.raw('SELECT user FROM mysql.user WHERE user = ?', [`t_${id}`])) as [
      unknown[],
    ];
    expect(users).toEqual([]);

    const again = await gql<{ signup: { tenant: { phase: string } } }>(SIGNUP, {
      input: signupInput({ slug: failSlug }),
    });
    expect(again.data?.signup.tenant.phase).toBe('Ready');
  }, 120_000);
});

describe('platform admin views', () => {
  const TENANTS = `{ tenants(first: 50) { nodes { slug plan phase suspended schemaVersion conditions { type status } } hasNextPage } }`;

  it('refuse callers without a platform admin token, tenant sessions included', async () => {
    const anonymous = await gql(TENANTS);
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const tenant = {
      id: (await tenantIdsOf(slug))[0] ?? '',
      slug,
      host: `${slug}.${harness.config.BASE_DOMAIN}`,
    };
    const ownerToken = await harness.signIn(tenant, 'owner@brightroofs.example', PASSWORD);
    for (const options of [{ token: ownerToken, host: tenant.host }, { token: ownerToken }]) {
      const res = await gql<{ tenants: unknown }>(TENANTS, {}, options);
      expect(res.data?.tenants ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
    const wrong = await gql(
      `mutation { adminSignIn(email: "ops@solarcrm.example", password: "nope") { token } }`,
    );
    expect(wrong.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // a tenant identity is not a platform admin, whatever its password
    const tenantCreds = await gql(
      `mutation { adminSignIn(email: "owner@brightroofs.example", password: "${PASSWORD}") { token } }`,
    );
    expect(tenantCreds.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('list tenants with their status, usage and health', async () => {
    const token = await adminToken();
    const list = await gql<{
      tenants: {
        nodes: Array<{ slug: string; phase: string; schemaVersion: string | null; conditions: unknown[] }>;
      };
    }>(TENANTS, {}, { token });
    const mine = list.data?.tenants.nodes.find((t) => t.slug === slug);
    expect(mine).toMatchObject({ phase: 'Ready' });
    expect(mine?.schemaVersion).toBeTruthy();
    expect(mine?.conditions).toContainEqual({ type: 'Ready', status: 'True' });

    const paged = await gql<{ tenants: { nodes: unknown[]; hasNextPage: boolean; endCursor: string } }>(
      `{ tenants(first: 1, phase: "Ready") { nodes { slug } hasNextPage endCursor } }`,
      {},
      { token },
    );
    expect(paged.data?.tenants.nodes).toHaveLength(1);
    expect(paged.data?.tenants.hasNextPage).toBe(true);

    const usage = await gql<{ usage: Array<{ slug: string; identities: number; sessionsLast24h: number }> }>(
      `{ usage { slug identities sessionsLast24h } }`,
      {},
      { token },
    );
    const used = usage.data?.usage.find((u) => u.slug === slug);
    expect(used?.identities).toBe(2); // owner + rep
    expect(used?.sessionsLast24h).toBeGreaterThanOrEqual(3);

    const health = await gql<{
      health: { registryReachable: boolean; tenantsByPhase: Array<{ phase: string; count: number }> };
    }>(`{ health { registryReachable tenantsByPhase { phase count } } }`, {}, { token });
    expect(health.data?.health.registryReachable).toBe(true);
    expect(health.data?.health.tenantsByPhase).toContainEqual({ phase: 'Ready', count: 2 });
  });

  it('suspend and resume a tenant through the operator', async () => {
    const token = await adminToken();
    const suspended = await gql<{ suspendTenant: { phase: string; suspended: boolean } }>(
      `mutation($s: String!) { suspendTenant(slug: $s) { phase suspended } }`,
      { s: slug },
      { token },
    );
    expect(suspended.data?.suspendTenant).toEqual({ phase: 'Suspended', suspended: true });
    const one = await gql<{ tenant: { suspended: boolean; plan: string } }>(
      `query($s: String!) { tenant(slug: $s) { suspended plan } }`,
      { s: slug },
      { token },
    );
    expect(one.data?.tenant).toEqual({ suspended: true, plan: 'starter' });

    const resumed = await gql<{ resumeTenant: { phase: string; suspended: boolean } }>(
      `mutation($s: String!) { resumeTenant(slug: $s) { phase suspended } }`,
      { s: slug },
      { token },
    );
    expect(resumed.data?.resumeTenant).toEqual({ phase: 'Ready', suspended: false });
  });
});
