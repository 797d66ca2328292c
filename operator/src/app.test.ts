import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createDb, createLogger, ident, loadConfig, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { DriverNotBuilt, startOperator, type Operator } from './app.js';
import { operatorConfigSchema } from './config.js';

const logger = createLogger('operator-test', 'silent');
let platform: TestPlatformDb;
let admin: Knex;
const tenantId = 'apptest0000a';

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
});
afterAll(async () => {
  await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${tenantId}`)}`);
  await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${tenantId}`]);
  await admin.destroy();
  await platform?.drop();
});

const env = (extra: Record<string, string> = {}) => ({
  DATABASE_URL: platform.url,
  PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
  PORT: '0',
  RECONCILE_INTERVAL_MS: '50',
  LOG_LEVEL: 'silent',
  ...extra,
});

describe('operator program', () => {
  it('serves health, provisions tenants the registry gains, and shuts down cleanly', async () => {
    const op: Operator = await startOperator(loadConfig(operatorConfigSchema, env()), {
      handleSignals: false,
      logger,
    });
    const base = `http://127.0.0.1:${op.served.port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect([ready.status, await ready.json()]).toEqual([200, { status: 'ready' }]);
      expect((await fetch(`${base}/tenants`)).status).toBe(404);

      await platform.db('tenants').insert({ id: tenantId, slug: 'app-test', display_name: 'App Test' });
      await expect
        .poll(async () => (await platform.db('tenants').where({ id: tenantId }).first()).phase, {
          timeout: 10_000,
        })
        .toBe('Ready');
    } finally {
      await op.served.close();
    }
    expect(op.served.lifecycle.accepting).toBe(false);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });

  it('refuses to start the kubernetes driver until it exists', async () => {
    const config = loadConfig(operatorConfigSchema, env({ DRIVER: 'kubernetes' }));
    await expect(startOperator(config, { handleSignals: false, logger })).rejects.toBeInstanceOf(
      DriverNotBuilt,
    );
  });

  it('names a bad secret key at start instead of failing later', () => {
    expect(() => loadConfig(operatorConfigSchema, env({ PLATFORM_SECRET_KEY: 'c2hvcnQ=' }))).toThrow(
      ConfigError,
    );
    expect(() => loadConfig(operatorConfigSchema, env({ PLATFORM_SECRET_KEY: 'c2hvcnQ=' }))).toThrow(
      /PLATFORM_SECRET_KEY/,
    );
  });
});
