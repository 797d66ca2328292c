import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, type Knex, type Migration } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { tenantMigrations } from '@solar/tenant-runtime/db/migrate';
import { createLocalCredentialStore } from '../local/credential-store.js';
import { createLocalDriver, type TenantRecord } from '../local/driver.js';
import { createLocalRouteTable } from '../local/route-table.js';
import { createLocalStatusWriter } from '../local/status-writer.js';
import { reconcileTenant } from './reconcile.js';
import type { MigrationGate, ReconcilerDeps, TenantObject } from './types.js';

/**
 * The reconciler's migration gate, without Kubernetes: a real tenant on the real MariaDB, reconciled with a
 * gate that says wait, fail or go. (The Kubernetes driver's Job-backed gate is tested in test/kube-driver.)
 */
const secretKey = randomBytes(32);
const endpoint = 'http://127.0.0.1:4100';
const logger = createLogger('gate-test', 'silent');
let platform: TestPlatformDb;
let admin: Knex;
let tenant: TenantRecord;

/** A migration the gate must keep from running until it says go. */
const next: Migration = {
  name: '29991231_001_gate_probe',
  async up(db) {
    await db.schema.createTable('gate_probe', (t) => t.increments('id'));
  },
};

function reconcileWith(migrationGate: MigrationGate | undefined, t: TenantObject) {
  const deps: ReconcilerDeps = {
    admin,
    adminDbUrl: testServerUrl,
    tenantDbUrl: testServerUrl,
    snapshotDir: '/tmp',
    rotationGraceMs: 60_000,
    credentials: createLocalCredentialStore(platform.db, secretKey),
    status: createLocalStatusWriter(platform.db),
    routes: createLocalRouteTable(platform.db),
    endpointFor: () => endpoint,
    logger,
    migrations: [...tenantMigrations, next],
    ...(migrationGate ? { migrationGate } : {}),
  };
  return reconcileTenant(deps, t);
}
const condition = (t: Pick<TenantObject, 'status'>, type: string) =>
  t.status.conditions.find((c) => c.type === type);
const probeExists = async () => {
  const [rows] = (await admin.raw(
    'SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [`t_${tenant.id}`, 'gate_probe'],
  )) as [unknown[], unknown];
  return rows.length > 0;
};

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
  const driver = createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: endpoint,
    logger,
  });
  tenant = await driver.apply({ slug: 'gated-co', displayName: 'Gated Co' });
  await driver.close();
});

afterAll(async () => {
  if (tenant) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${tenant.id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${tenant.id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
});

describe('reconciler: migration gate', () => {
  it('waiting: migrates nothing, keeps version and route, reports the wait without an error', async () => {
    expect(tenant.status.phase).toBe('Ready');
    const before = tenant.status;
    const out = await reconcileWith(
      async () => ({
        state: 'waiting',
        reason: 'MigrationJobRunning',
        message: 'job running',
        recheckAfterMs: 500,
      }),
      tenant,
    );
    expect(out).toMatchObject({
      ok: false,
      waiting: { step: 'migrate', reason: 'MigrationJobRunning', message: 'job running' },
      requeueAfterMs: 500,
    });
    expect(out.error).toBeUndefined();
    expect(out.status).toMatchObject({
      phase: 'Upgrading',
      lastError: null,
      schemaVersion: before.schemaVersion,
      endpoint: before.endpoint,
    });
    expect(condition(out, 'Migrated')).toMatchObject({ status: 'False', reason: 'MigrationJobRunning' });
    expect(condition(out, 'Ready')).toMatchObject({ status: 'False', reason: 'MigrationJobRunning' });
    expect(await probeExists()).toBe(false);
  });

  it("failed: the tenant stays on its old version and route, Failed with the gate's reason", async () => {
    const out = await reconcileWith(
      async () => ({
        state: 'failed',
        reason: 'MigrationJobFailed',
        message: 'Job failed: BackoffLimitExceeded',
      }),
      tenant,
    );
    expect(out).toMatchObject({ ok: false, failedStep: 'migrate' });
    expect(out.status).toMatchObject({
      phase: 'Failed',
      schemaVersion: tenant.status.schemaVersion,
      endpoint: tenant.status.endpoint,
      lastError: 'migrate: Job failed: BackoffLimitExceeded',
    });
    expect(condition(out, 'Migrated')).toMatchObject({ status: 'False', reason: 'MigrationJobFailed' });
    expect(condition(out, 'Ready')).toMatchObject({ status: 'False', reason: 'MigrationJobFailed' });
    expect(await probeExists()).toBe(false);
    const row = await platform.db('tenants').where({ id: tenant.id }).first();
    expect(row).toMatchObject({ phase: 'Failed', endpoint });
  });

  it('ready: the pass migrates and the tenant is Ready at the new version', async () => {
    let asked = 0;
    const out = await reconcileWith(async () => {
      asked += 1;
      return { state: 'ready' };
    }, tenant);
    expect(asked).toBe(1);
    expect(out).toMatchObject({
      ok: true,
      status: { phase: 'Ready', schemaVersion: next.name, lastError: null },
    });
    expect(await probeExists()).toBe(true);
  });
});
