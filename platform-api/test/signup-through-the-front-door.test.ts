/**
 * Self-service signup on the real front door: /platform/graphql creates a tenant through the operator's
 * local driver (real schema, DB user, migrations) and its first admin, who can then sign in.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, generateInternalKeys, ident } from '@solar/common';
import { createLocalDriver, type LocalDriver } from '@solar/operator/local/driver';
import { loadPlatformConfig } from '../src/config.js';
import { startPlatformApi, type PlatformApi } from '../src/server.js';
import { createTestPlatformDb, testServerUrl, type TestPlatformDb } from '../src/testing/platform-db.js';

let platform: TestPlatformDb;
let driver: LocalDriver;
let api: PlatformApi;
const slug = `sunrise-${randomBytes(3).toString('hex')}`;
const password = 'Quartz-Meadow-Lantern-42';

beforeAll(async () => {
  platform = await createTestPlatformDb();
  const secretKey = randomBytes(32);
  const logger = createLogger('signup-e2e', 'silent');
  driver = createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger,
  });
  const keys = await generateInternalKeys();
  api = await startPlatformApi(
    loadPlatformConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: platform.url,
      PLATFORM_SECRET_KEY: secretKey.toString('base64'),
      INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
      REDIS_KEY_PREFIX: `test:${randomBytes(4).toString('hex')}:`,
    }),
    { db: platform.db, handleSignals: false, tenantDriver: driver, registryTtlMs: 0 },
  );
});

afterAll(async () => {
  await api?.close();
  const tenant = await driver?.get(slug);
  await driver?.close();
  if (tenant) {
    const server = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
    await server.raw(`DROP DATABASE IF EXISTS ${ident(`t_${tenant.id}`)}`);
    await server.raw(`DROP USER IF EXISTS ?@'%'`, [`t_${tenant.id}`]);
    await server.destroy();
  }
  await platform?.drop();
});

const platformGraphql = (query: string, variables: Record<string, unknown>) =>
  fetch(`${api.url}/platform/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query, variables }),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: any; errors?: any[] } })); // eslint-disable-line @typescript-eslint/no-explicit-any

describe('self-service signup through platform-api', () => {
  it('creates a Ready tenant whose first admin can sign in', async () => {
    const res = await platformGraphql(
      `mutation($input: SignupInput!) { signup(input: $input) { tenant { slug phase } signInUrl } }`,
      {
        input: {
          companyName: 'Sunrise Solar',
          slug,
          adminEmail: 'owner@sunrise.example',
          adminName: 'Olive Owner',
          password,
        },
      },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.signup.tenant).toEqual({ slug, phase: 'Ready' });

    const signIn = await fetch(`${api.url}/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-tenant': slug },
      body: JSON.stringify({ email: 'owner@sunrise.example', password }),
    });
    expect(signIn.status).toBe(200);
  });

  it('refuses a slug that is already taken, creating nothing', async () => {
    const before = await platform.db('tenants').count({ n: '*' });
    const res = await platformGraphql(
      `mutation($input: SignupInput!) { signup(input: $input) { tenant { slug } } }`,
      { input: { companyName: 'Copycat', slug, adminEmail: 'x@copycat.example', adminName: 'X', password } },
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(await platform.db('tenants').count({ n: '*' })).toEqual(before);
  });
});
