import { randomBytes } from 'node:crypto';
import { generateInternalKeys } from '@solar/common';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPlatformConfig } from '../config.js';
import { startPlatformApi, type PlatformApi } from '../server.js';
import { startHarness, type Harness } from '../testing/platform-api-harness.js';

let h: Harness;
let dbDown: PlatformApi;

beforeAll(async () => {
  h = await startHarness();
  const keys = await generateInternalKeys();
  // Nothing listens on port 1: the platform database is unreachable for this instance.
  dbDown = await startPlatformApi(
    loadPlatformConfig({
      LOG_LEVEL: 'silent',
      PORT: '0',
      DATABASE_URL: 'mysql://root@127.0.0.1:1/platform',
      PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
      INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    }),
  );
});
afterAll(async () => {
  await dbDown?.close();
  await h?.close();
});

describe('health', () => {
  it('/healthz and /readyz answer 200 when the platform DB is up', async () => {
    expect((await h.call('GET', '/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await h.call('GET', '/readyz', { host: 'acme.localhost' });
    expect(ready.status).toBe(200);
    expect(ready.json()).toMatchObject({ status: 'ready' });
  });

  it('/readyz answers 503 when the platform DB is unreachable, while /healthz stays 200', async () => {
    const ready = await request(`${dbDown.url}/readyz`);
    expect(ready.statusCode).toBe(503);
    expect(await ready.body.json()).toMatchObject({ status: 'unavailable', checks: { database: false } });
    expect((await request(`${dbDown.url}/healthz`)).statusCode).toBe(200);
  });

  it('tenant requests get a clear 503 while the platform DB is unreachable', async () => {
    const res = await request(`${dbDown.url}/auth/session`, { headers: { host: 'acme.localhost' } });
    expect(res.statusCode).toBe(503);
    const body = (await res.body.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('UNAVAILABLE');
    expect(body.error.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });
});
