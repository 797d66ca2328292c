import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createDb, createLogger, ident, loadConfig, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKubeApiFixture } from '../test/kube-api-fixture/index.js';
import { startOperator, type Operator } from './app.js';
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

  it('with DRIVER=kubernetes runs the Kubernetes driver on the cluster KUBECONFIG names, and leads it', async () => {
    const cluster = await startKubeApiFixture();
    const dir = await mkdtemp(join(tmpdir(), 'operator-kubeconfig-'));
    const kubeconfig = join(dir, 'config');
    await writeFile(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{ name: fixture, cluster: { server: '${cluster.url}', insecure-skip-tls-verify: true } }]
users: [{ name: admin, user: {} }]
contexts: [{ name: fixture, context: { cluster: fixture, user: admin, namespace: default } }]
current-context: fixture
`,
    );
    const previous = process.env.KUBECONFIG;
    process.env.KUBECONFIG = kubeconfig;
    let op: Operator | undefined;
    try {
      const config = loadConfig(
        operatorConfigSchema,
        env({
          DRIVER: 'kubernetes',
          POD_NAMESPACE: 'default',
          POD_NAME: 'operator-0',
          LEASE_DURATION_MS: '2000',
        }),
      );
      op = await startOperator(config, { handleSignals: false, logger });
      const base = `http://127.0.0.1:${op.served.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      await expect.poll(async () => (await fetch(`${base}/readyz`)).status, { timeout: 10_000 }).toBe(200);
      // it takes the leader-election Lease in its namespace
      const holders = async () => {
        const leases = (await fetch(
          `${cluster.url}/apis/coordination.k8s.io/v1/namespaces/default/leases`,
        ).then((r) => r.json())) as { items: Array<{ spec: { holderIdentity?: string } }> };
        return leases.items.map((l) => l.spec.holderIdentity);
      };
      await expect.poll(holders, { timeout: 10_000 }).toContain('operator-0');
      expect(await (await fetch(`${base}/metrics`)).text()).toMatch(/# TYPE \w+ /);
    } finally {
      await op?.served.close();
      if (previous === undefined) delete process.env.KUBECONFIG;
      else process.env.KUBECONFIG = previous;
      await cluster.close();
      await rm(dir, { recursive: true, force: true });
    }
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
