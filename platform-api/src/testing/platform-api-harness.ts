import { randomBytes } from 'node:crypto';
import { generateInternalKeys, importInternalKey, type Logger } from '@solar/common';
import type { CryptoKey } from 'jose';
import { request, type Dispatcher } from 'undici';
import { loadPlatformConfig, type PlatformConfig } from '../config.js';
import type { PlanLimitTable } from '../rate-limit/plan-limits.js';
import { createIdentity } from '../identity/create-identity.js';
import type { Identity } from '../identity/identity.js';
import { startPlatformApi, type PlatformApi } from '../server.js';
import { createTestPlatformDb, type TestPlatformDb } from './platform-db.js';

export interface TestTenant {
  id: string;
  slug: string;
  /** Host header that names this tenant */
  host: string;
}

export interface TestResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = unknown>(): T;
}

export interface Harness {
  api: PlatformApi;
  platform: TestPlatformDb;
  config: PlatformConfig;
  /** the public half of the internal-token key pair, as a runtime would hold it */
  publicKey: CryptoKey;
  addTenant(input: {
    slug: string;
    phase?: string;
    endpoint?: string | null;
    suspended?: boolean;
  }): Promise<TestTenant>;
  addIdentity(tenant: TestTenant, email: string, password: string): Promise<Identity>;
  call(
    method: Dispatcher.HttpMethod,
    path: string,
    options?: { host?: string; headers?: Record<string, string>; body?: string | Buffer },
  ): Promise<TestResponse>;
  /** Signs in with X-Session-Mode: bearer and returns the access token (a JWT). */
  signIn(tenant: TestTenant, email: string, password: string): Promise<string>;
  /** Signs in as a browser would and returns the session cookie's token. */
  signInWithCookie(tenant: TestTenant, email: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A real platform-api on a random port over its own fresh platform database. Tenants are plain rows, as
 * the operator would leave them.
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: { logger?: Logger; planLimits?: PlanLimitTable } = {},
): Promise<Harness> {
  const platform = await createTestPlatformDb();
  const keys = await generateInternalKeys();
  const config = loadPlatformConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATABASE_URL: platform.url,
    PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    // each harness counts rate limits and failed sign-ins apart from every other test run
    REDIS_KEY_PREFIX: `test:${platform.name}:`,
    ...env,
  });
  const api = await startPlatformApi(config, {
    registryTtlMs: 0,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.planLimits ? { planLimits: options.planLimits } : {}),
  });
  const publicKey = await importInternalKey(keys.publicJwk);

  const call: Harness['call'] = async (method, path, options = {}) => {
    const res = await request(`${api.url}${path}`, {
      method,
      headers: { ...(options.host ? { host: options.host } : {}), ...options.headers },
      body: options.body ?? null,
    });
    const text = await res.body.text();
    return {
      status: res.statusCode,
      headers: res.headers,
      text,
      json: <T>() => JSON.parse(text) as T,
    };
  };

  return {
    api,
    platform,
    config,
    publicKey,
    async addTenant({ slug, phase = 'Ready', endpoint = null, suspended = false }) {
      const id = randomBytes(12).toString('hex').slice(0, 12);
      await platform
        .db('tenants')
        .insert({ id, slug, display_name: `${slug} Solar`, phase, endpoint, suspended });
      return { id, slug, host: `${slug}.${config.BASE_DOMAIN}` };
    },
    addIdentity: (tenant, email, password) =>
      createIdentity(platform.db, {
        tenantId: tenant.id,
        email,
        displayName: email.split('@')[0] ?? email,
        password,
      }),
    call,
    async signIn(tenant, email, password) {
      const res = await call('POST', '/auth/sign-in', {
        host: tenant.host,
        headers: { 'content-type': 'application/json', 'x-session-mode': 'bearer' },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
      return res.json<{ token: string }>().token;
    },
    async signInWithCookie(tenant, email, password) {
      const res = await call('POST', '/auth/sign-in', {
        host: tenant.host,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      const token = /solar_session=([^;]+)/.exec(String(res.headers['set-cookie']))?.[1];
      if (res.status !== 200 || !token) throw new Error(`sign-in failed: ${res.status} ${res.text}`);
      return token;
    },
    async close() {
      await api.close();
      await platform.drop();
    },
  };
}
