import { randomBytes } from 'node:crypto';
import {
  createLogger,
  generateInternalKeys,
  importInternalKey,
  serve,
  signInternalToken,
  type InternalClaims,
  type Knex,
  type Served,
} from '@solar/common';
import { provisionTestTenant, type TestTenant } from '@solar/operator/testing';
import { createTestPlatformDb, type TestPlatformDb } from '@solar/platform-api/testing/platform-db';
import type { CryptoKey } from 'jose';
import { buildRuntime, type Runtime } from '../app.js';
import { loadRuntimeConfig } from '../config.js';

export interface GraphQLReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export interface TestRuntime {
  /** http://127.0.0.1:<port> */
  url: string;
  platform: TestPlatformDb;
  secretKey: Buffer;
  /** platform-api's signing key, as a test stands in for platform-api */
  privateKey: CryptoKey;
  runtime: Runtime;
  served: Served;
  /** A real, Ready tenant (schema, DB user, migrations), removed again by close(). */
  provisionTenant(): Promise<TestTenant>;
  /** An internal token for a user of `tenant`, as platform-api would mint it. */
  tokenFor(tenant: { id: string; slug: string }, claims?: Partial<InternalClaims>): Promise<string>;
  graphql(
    token: string | null,
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLReply>;
  close(): Promise<void>;
}

/**
 * The runtime as production wires it, served over real HTTP on a free port, with its own platform database
 * and freshly generated keys. `env` overrides config; `platformDb` replaces the registry pool (e.g. with an
 * unreachable one); `isAccepting` stands in for the server's shutdown state.
 */
export async function startTestRuntime(
  options: { env?: Record<string, string>; platformDb?: Knex; isAccepting?: () => boolean } = {},
): Promise<TestRuntime> {
  const platform = await createTestPlatformDb();
  const secretKey = randomBytes(32);
  const keys = await generateInternalKeys();
  const privateKey = await importInternalKey(keys.privateJwk);
  const config = loadRuntimeConfig({
    DATABASE_URL: platform.url,
    PLATFORM_SECRET_KEY: secretKey.toString('base64'),
    INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // tests change lifecycle state directly in the registry and expect it to apply at once
    TENANT_REGISTRY_TTL_MS: '0',
    ...options.env,
  });
  const logger = createLogger('tenant-runtime-test', config.LOG_LEVEL);
  const server: { served?: Served } = {};
  const runtime = await buildRuntime({
    config,
    logger,
    platformDb: options.platformDb ?? platform.db,
    isAccepting: options.isAccepting ?? (() => server.served?.lifecycle.accepting ?? true),
  });
  const served = await serve(runtime.app.callback(), {
    port: 0,
    host: '127.0.0.1',
    logger,
    graceMs: 1_000,
    handleSignals: false,
    onClose: () => runtime.close(),
  });
  server.served = served;
  const url = `http://127.0.0.1:${served.port}`;
  const tenants: TestTenant[] = [];

  return {
    url,
    platform,
    secretKey,
    privateKey,
    runtime,
    served,
    async provisionTenant() {
      const tenant = await provisionTestTenant({ platformDb: platform.db, secretKey, runtimeEndpoint: url });
      tenants.push(tenant);
      return tenant;
    },
    tokenFor(tenant, claims = {}) {
      return signInternalToken(
        {
          tid: tenant.id,
          tslug: tenant.slug,
          sub: '0190a000-0000-7000-8000-000000000001',
          sid: 'test-session',
          scopes: ['*'],
          ...claims,
        },
        privateKey,
      );
    },
    async graphql(token, query, variables, headers = {}) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async close() {
      await served.close();
      for (const tenant of tenants) await tenant.destroy();
      await platform.drop();
    },
  };
}
