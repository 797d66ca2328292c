/**
 * The front door over real HTTP for end-to-end tests: the real platform-api (startPlatformApi) in front of a
 * real pooled tenant-runtime, one platform database, tenants provisioned by the operator's local driver and
 * one signed-in-able rep per tenant (`rep@<slug>.example`).
 */
import { randomBytes } from 'node:crypto';
import { generateInternalKeys } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import { startTestRuntime, type TestRuntime } from '@solar/tenant-runtime/testing/test-runtime';
import { request } from 'undici';
import { expect } from 'vitest';
import { loadPlatformConfig } from '../src/config.js';
import { createIdentity } from '../src/identity/create-identity.js';
import { startPlatformApi, type PlatformApi } from '../src/server.js';

export const PASSWORD = 'correct horse battery staple';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the API answered
  body: any;
}

export interface CallOptions {
  /** the tenant named by X-Tenant (omit with `host` to name it by host only) */
  tenant?: TestTenant;
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** a Host header; undici sends it as given, unlike fetch */
  host?: string;
}

export interface FrontDoor {
  rt: TestRuntime;
  api: PlatformApi;
  tenants: TestTenant[];
  baseDomain: string;
  call(method: 'GET' | 'POST' | 'DELETE', path: string, options?: CallOptions): Promise<Reply>;
  /** a bearer access token for the tenant's rep */
  signIn(tenant: TestTenant): Promise<string>;
  /** the session cookie's value for the tenant's rep, as a browser would get it */
  signInWithCookie(tenant: TestTenant): Promise<string>;
  close(): Promise<void>;
}

export async function startFrontDoor(options: { tenants?: number } = {}): Promise<FrontDoor> {
  const keys = await generateInternalKeys();
  const rt = await startTestRuntime({ env: { INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk) } });
  const tenants: TestTenant[] = [];
  for (let i = 0; i < (options.tenants ?? 2); i++) {
    const tenant = await rt.provisionTenant();
    tenants.push(tenant);
    await createIdentity(rt.platform.db, {
      tenantId: tenant.id,
      email: `rep@${tenant.slug}.example`,
      displayName: 'Rep',
      password: PASSWORD,
    });
  }
  const baseDomain = 'crm.test';
  const keyPrefix = `test:${rt.platform.name}:`;
  const api = await startPlatformApi(
    loadPlatformConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      PORT: '0',
      BASE_DOMAIN: baseDomain,
      DATABASE_URL: rt.platform.url,
      PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
      INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
      REDIS_KEY_PREFIX: keyPrefix,
      EDGE_CACHE_CHANNEL_PREFIX: `${keyPrefix}changes:`,
    }),
    { db: rt.platform.db, registryTtlMs: 0 },
  );

  const call: FrontDoor['call'] = async (method, path, o = {}) => {
    const res = await request(`${api.url}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        ...(o.host ? { host: o.host } : {}),
        ...(o.tenant ? { 'x-tenant': o.tenant.slug } : {}),
        ...(o.token ? { authorization: `Bearer ${o.token}` } : {}),
        ...(o.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...o.headers,
      },
      ...(o.body === undefined ? {} : { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) }),
    });
    const text = await res.body.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.statusCode, headers: res.headers, body };
  };

  const signInAs = async (tenant: TestTenant, mode: 'bearer' | 'cookie') => {
    const res = await call('POST', '/auth/sign-in', {
      tenant,
      body: { email: `rep@${tenant.slug}.example`, password: PASSWORD },
      headers: mode === 'bearer' ? { 'x-session-mode': 'bearer' } : {},
    });
    expect(res.status).toBe(200);
    return res;
  };

  return {
    rt,
    api,
    tenants,
    baseDomain,
    call,
    signIn: async (tenant) => (await signInAs(tenant, 'bearer')).body.token as string,
    async signInWithCookie(tenant) {
      const res = await signInAs(tenant, 'cookie');
      const cookies = [res.headers['set-cookie'] ?? []].flat();
      const session = cookies.map((c) => /^solar_session=([^;]+)/.exec(c)?.[1]).find(Boolean);
      expect(session).toBeTruthy();
      return session!;
    },
    async close() {
      await api.close();
      await rt.close();
    },
  };
}
