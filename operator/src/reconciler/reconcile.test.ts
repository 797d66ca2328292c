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
import { createLocalDriver, type LocalDriverOptions, type TenantRecord } from '../local/driver.js';
import { redact } from './mysql-admin.js';
import { stepNames, type FaultPoint } from './types.js';

const secretKey = randomBytes(32);
let platform: TestPlatformDb;
let admin: Knex;
const created: string[] = [];

function driverWith(extra: Partial<LocalDriverOptions> = {}) {
  return createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger: createLogger('operator-test', 'silent'),
    ...extra,
  });
}

/** Logs in as the tenant's own user with the stored password and reads its leads table. */
async function tenantCanWork(id: string): Promise<boolean> {
  const password = await createLocalCredentialStore(platform.db, secretKey).get(id);
  const db = createDb({ url: testServerUrl, user: `t_${id}`, password: password ?? '', database: `t_${id}` });
  try {
    await db('leads').count({ n: '*' });
    return true;
  } finally {
    await db.destroy();
  }
}

const condition = (rec: TenantRecord, type: string) => rec.status.conditions.find((c) => c.type === type);

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
});

afterAll(async () => {
  for (const id of created) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
});

describe('reconciler: crash at any point converges', () => {
  const points = stepNames.flatMap((step) =>
    (['before', 'after'] as const).map((when) => [when, step] as const),
  );

  it.each(points)('a crash %s step %s is repaired by the next reconcile', async (when, step) => {
    let crashes = 0;
    const driver = driverWith({
      faults: (p: FaultPoint) => {
        if (p.step === step && p.when === when && crashes === 0) {
          crashes++;
          throw new Error(`simulated crash ${when} ${step}`);
        }
      },
    });
    try {
      const slug = `crash-${step}-${when}`;
      const first = await driver.apply({ slug, displayName: slug }).catch(() => null);
      const rec = first ?? (await driver.get(slug));
      if (!rec) throw new Error('tenant row missing');
      created.push(rec.id);
      expect(crashes).toBe(1);
      // only a crash after the final status write has nothing left to repair
      if (!(step === 'status' && when === 'after')) expect(rec.status.phase).not.toBe('Ready');

      const healed = await driver.reconcile(rec.id);
      expect(healed.status).toMatchObject({
        phase: 'Ready',
        lastError: null,
        endpoint: 'http://127.0.0.1:4100',
      });
      expect(healed.status.conditions.every((c) => c.type === 'Suspended' || c.status === 'True')).toBe(true);
      expect(await tenantCanWork(rec.id)).toBe(true);
    } finally {
      await driver.close();
    }
  });

  it('records which step failed, with a False condition and lastError, when a step crashes', async () => {
    const driver = driverWith({
      faults: (p) => {
        if (p.step === 'grants' && p.when === 'before') throw new Error('grant table locked');
      },
    });
    try {
      const rec = await driver.apply({ slug: 'grants-down', displayName: 'Grants Down' });
      created.push(rec.id);
      expect(rec.status.phase).toBe('Failed');
      expect(rec.status.lastError).toBe('grants: grant table locked');
      expect(condition(rec, 'DatabaseReady')).toMatchObject({ status: 'False', reason: 'GrantsFailed' });
      expect(condition(rec, 'Ready')).toMatchObject({ status: 'False', reason: 'GrantsFailed' });
      expect(rec.status.endpoint).toBeNull();
    } finally {
      await driver.close();
    }
  });
});

describe('reconciler: two operator processes at once', () => {
  it('converge on one stored password when they provision the same new tenant together', async () => {
    const [a, b] = [driverWith(), driverWith()];
    const id = 'twinops0000a';
    created.push(id);
    await platform.db('tenants').insert({ id, slug: 'twin-ops', display_name: 'Twin Ops' });
    try {
      await Promise.allSettled([a.reconcile(id), b.reconcile(id)]);
      const settled = await a.reconcile(id);
      expect([settled.status.phase, settled.status.lastError]).toEqual(['Ready', null]);
      expect(await tenantCanWork(id)).toBe(true);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('reconciler: tenant migrations', () => {
  const broken: Migration = {
    name: '29991231_001_site_surveys',
    async up() {
      throw new Error('column "roof_pitch" has no type');
    },
  };
  const fixed: Migration = {
    name: '29991231_001_site_surveys',
    async up(db) {
      await db.schema.createTable('site_surveys', (t) => t.increments('id'));
    },
  };

  it('a failing migration keeps the old schemaVersion and routing, with lastError and Migrated=False', async () => {
    const v1 = driverWith();
    const rec = await v1.apply({ slug: 'upgrade-co', displayName: 'Upgrade Co' });
    created.push(rec.id);
    await v1.close();
    expect(rec.status.schemaVersion).toBe(tenantMigrations.at(-1)!.name);

    const bad = driverWith({ migrations: [...tenantMigrations, broken] });
    const failed = await bad.reconcile(rec.id);
    await bad.close();
    expect(failed.status).toMatchObject({
      phase: 'Failed',
      schemaVersion: rec.status.schemaVersion,
      endpoint: rec.status.endpoint,
    });
    expect(failed.status.lastError).toContain('roof_pitch');
    expect(condition(failed, 'Migrated')).toMatchObject({ status: 'False', reason: 'MigrationFailed' });
    expect(condition(failed, 'DatabaseReady')).toMatchObject({ status: 'True' });
    expect(await tenantCanWork(rec.id)).toBe(true);

    const good = driverWith({ migrations: [...tenantMigrations, fixed] });
    const upgraded = await good.reconcile(rec.id);
    await good.close();
    expect(upgraded.status).toMatchObject({ phase: 'Ready', schemaVersion: fixed.name, lastError: null });
  });
});

describe('reconciler: operator killed mid-migration', () => {
  it('frees the migration lock a dead process left behind and finishes the upgrade', async () => {
    const v1 = driverWith();
    const rec = await v1.apply({ slug: 'killed-mid', displayName: 'Killed Mid' });
    created.push(rec.id);
    await v1.close();
    // what a SIGKILL between knex taking its lock and releasing it leaves behind
    await admin.raw(`UPDATE ${ident(`t_${rec.id}`)}.knex_migrations_lock SET is_locked = 1`);

    const next: Migration = {
      name: '29991231_002_crews',
      up: (db) => db.schema.createTable('crews', (t) => t.increments('id')),
    };
    const v2 = driverWith({ migrations: [...tenantMigrations, next] });
    const upgraded = await v2.reconcile(rec.id);
    await v2.close();
    expect([upgraded.status.phase, upgraded.status.lastError]).toEqual(['Ready', null]);
    expect(upgraded.status.schemaVersion).toBe(next.name);
  });
});

describe('reconciler: secrets stay out of errors', () => {
  it('strips the password from a real MySQL error before it is recorded', async () => {
    const password = 'pw-that-must-not-leak';
    await admin.raw("CREATE USER IF NOT EXISTS 'redact_probe'@'%' IDENTIFIED BY 'x'");
    try {
      const err = await admin
        .raw("CREATE USER 'redact_probe'@'%' IDENTIFIED BY ?", [password])
        .catch((e: unknown) => e as Error);
      expect((err as Error).message).toContain(password); // knex embeds bindings: hence redact()
      const clean = redact(err, password);
      expect(clean.message).not.toContain(password);
      expect((clean as Error & { code?: string }).code).toBe('ER_CANNOT_USER');
    } finally {
      await admin.raw("DROP USER IF EXISTS 'redact_probe'@'%'");
    }
  });
});
