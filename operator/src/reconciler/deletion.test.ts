import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { createTenantRegistry } from '@solar/platform-api/tenancy/tenant-registry';
import { createLocalCredentialStore } from '../local/credential-store.js';
import { createLocalDriver, type LocalDriverOptions } from '../local/driver.js';
import { deletionStepNames, type FaultPoint } from './types.js';

const secretKey = randomBytes(32);
let platform: TestPlatformDb;
let admin: Knex;
let snapshotDir: string;
const created: string[] = [];

function driverWith(extra: Partial<LocalDriverOptions> = {}) {
  return createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger: createLogger('operator-test', 'silent'),
    snapshotDir,
    ...extra,
  });
}

async function rows<T = unknown>(sql: string, bindings: string[] = []): Promise<T[]> {
  const [r] = (await admin.raw(sql, bindings)) as [T[], unknown];
  return r;
}
const schemaExists = async (id: string) =>
  (await rows('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [`t_${id}`])).length > 0;
const userExists = async (id: string) =>
  (await rows("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [`t_${id}`])).length > 0;

/** A Ready tenant with one lead in it, plus an open connection as its own user (like a runtime's pool). */
async function tenantWithData(slug: string, extra: Record<string, unknown> = {}) {
  const driver = driverWith();
  try {
    const rec = await driver.apply({ slug, displayName: slug, ...extra });
    created.push(rec.id);
    const password = await createLocalCredentialStore(platform.db, secretKey).get(rec.id);
    const db = createDb({
      url: testServerUrl,
      user: `t_${rec.id}`,
      password: password!,
      database: `t_${rec.id}`,
      pool: { min: 0, max: 1 },
    });
    await db('leads').insert({
      id: crypto.randomUUID(),
      first_name: 'Kept',
      last_name: 'Row',
      source: 'web',
    });
    return { rec, db };
  } finally {
    await driver.close();
  }
}

/** What platform-api's front door sees for a slug. */
async function frontDoor(slug: string) {
  return createTenantRegistry(platform.db, { ttlMs: 0 }).bySlug(slug);
}

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
  snapshotDir = await mkdtemp(join(tmpdir(), 'solar-snapshots-'));
});

afterAll(async () => {
  for (const id of created) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
  await rm(snapshotDir, { recursive: true, force: true });
});

describe('deletion policies', () => {
  it('Retain: unroutes, locks the DB user out (even its open session), keeps the data, soft-deletes', async () => {
    const { rec, db } = await tenantWithData('retain-co', { deletionPolicy: 'Retain' });
    try {
      expect((await db('leads').count({ n: '*' }))[0]).toEqual({ n: 1 });
      const driver = driverWith();
      const gone = await driver.delete('retain-co').finally(() => driver.close());

      expect(gone.deletedAt).toBeInstanceOf(Date);
      expect(gone.status).toMatchObject({ phase: 'Deleting', endpoint: null, lastError: null });
      expect(gone.status.conditions.find((c) => c.type === 'Deleting')).toMatchObject({
        status: 'True',
        reason: 'Deleted',
      });
      // the pooled connection that was open is cut off, and new logins are refused
      await expect(db('leads').count({ n: '*' })).rejects.toThrow();
      await db.destroy();
      const password = await createLocalCredentialStore(platform.db, secretKey).get(rec.id);
      const again = createDb({
        url: testServerUrl,
        user: `t_${rec.id}`,
        password: password!,
        database: null,
      });
      await expect(again.raw('SELECT 1')).rejects.toThrow(/locked|denied/i);
      await again.destroy();
      // data kept, reachable by an administrator
      expect(await rows(`SELECT first_name FROM ${ident(`t_${rec.id}`)}.leads`)).toEqual([
        { first_name: 'Kept' },
      ]);
      expect(await frontDoor('retain-co')).toMatchObject({ deleted: true, endpoint: null });
    } finally {
      await db.destroy();
    }
  });

  it('Snapshot: dumps the schema to SNAPSHOT_DIR, verifies it, then drops schema and user', async () => {
    const { rec, db } = await tenantWithData('snapshot-co', {
      deletionPolicy: 'Snapshot',
      domains: ['crm.snapshot-co.com'],
    });
    await db.destroy();
    const driver = driverWith();
    const gone = await driver.delete('snapshot-co').finally(() => driver.close());

    expect(gone.deletedAt).toBeInstanceOf(Date);
    const file = join(snapshotDir, `t_${rec.id}.sql`);
    const dump = await readFile(file, 'utf8');
    expect(dump).toContain('CREATE TABLE `leads`');
    expect(dump).toContain("'Kept','Row'");
    expect(await readdir(snapshotDir)).not.toContain(`t_${rec.id}.sql.partial`);
    expect(gone.status.conditions.find((c) => c.type === 'Deleting')?.message).toContain(file);
    expect([await schemaExists(rec.id), await userExists(rec.id)]).toEqual([false, false]);
    const row = await platform.db('tenants').where({ id: rec.id }).first();
    expect(row).toMatchObject({ db_password_sealed: null, endpoint: null });
    // the custom domain is free again, for another tenant to claim
    expect(await platform.db('tenant_domains').where({ domain: 'crm.snapshot-co.com' })).toEqual([]);
    expect(await frontDoor('snapshot-co')).toMatchObject({ deleted: true });
  });

  it('Delete: drops schema and user, writes no snapshot', async () => {
    const { rec, db } = await tenantWithData('delete-co', { deletionPolicy: 'Delete' });
    await db.destroy();
    const driver = driverWith();
    const gone = await driver.delete('delete-co').finally(() => driver.close());
    expect(gone.deletedAt).toBeInstanceOf(Date);
    expect([await schemaExists(rec.id), await userExists(rec.id)]).toEqual([false, false]);
    expect(await readdir(snapshotDir)).not.toContain(`t_${rec.id}.sql`);
    // deleting again is a no-op, and the slug cannot be re-applied to a new tenant by accident
    const d2 = driverWith();
    try {
      expect((await d2.delete('delete-co')).deletedAt).toEqual(gone.deletedAt);
      await expect(d2.apply({ slug: 'delete-co', displayName: 'Again' })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
    } finally {
      await d2.close();
    }
  });

  it('preventDeletion: refuses with a clear condition and keeps serving until the flag is lifted', async () => {
    const { rec, db } = await tenantWithData('guarded-co', {
      deletionPolicy: 'Delete',
      preventDeletion: true,
    });
    const driver = driverWith();
    try {
      const kept = await driver.delete('guarded-co');
      expect(kept.deletedAt).toBeNull();
      expect(kept.status).toMatchObject({ phase: 'Ready', endpoint: 'http://127.0.0.1:4100' });
      expect(kept.status.conditions.find((c) => c.type === 'Deleting')).toMatchObject({
        status: 'False',
        reason: 'DeletionPrevented',
        message: expect.stringContaining('spec.preventDeletion is true'),
      });
      expect((await db('leads').count({ n: '*' }))[0]).toEqual({ n: 1 });

      const lifted = await driver.apply({
        slug: 'guarded-co',
        displayName: 'guarded-co',
        deletionPolicy: 'Delete',
      });
      expect(lifted.deletedAt).toBeInstanceOf(Date);
      expect(await schemaExists(rec.id)).toBe(false);
    } finally {
      await db.destroy();
      await driver.close();
    }
  });

  it('Snapshot stops before dropping anything when the dump fails, and says why', async () => {
    const { rec, db } = await tenantWithData('nodump-co', { deletionPolicy: 'Snapshot' });
    await db.destroy();
    // a directory that cannot be created: its parent is a plain file
    const blocker = join(snapshotDir, 'not-a-dir');
    await writeFile(blocker, '');
    const driver = driverWith({ snapshotDir: join(blocker, 'snapshots') });
    const stuck = await driver.delete('nodump-co').finally(() => driver.close());
    expect(stuck.deletedAt).toBeNull();
    expect(stuck.status.phase).toBe('Deleting');
    expect(stuck.status.lastError).toMatch(/^snapshot: /);
    expect(stuck.status.conditions.find((c) => c.type === 'Deleting')).toMatchObject({
      status: 'False',
      reason: 'SnapshotFailed',
    });
    expect(await schemaExists(rec.id)).toBe(true);
    const healthy = driverWith();
    expect((await healthy.reconcile(rec.id).finally(() => healthy.close())).deletedAt).toBeInstanceOf(Date);
  });
});

describe('deletion: a crash at any step converges', () => {
  const points = deletionStepNames.flatMap((step) =>
    (['before', 'after'] as const).map((when) => [when, step] as const),
  );

  it.each(points)('Snapshot deletion crashing %s %s finishes on the next pass', async (when, step) => {
    const slug = `del-${step}-${when}`;
    const { rec, db } = await tenantWithData(slug, { deletionPolicy: 'Snapshot' });
    await db.destroy();
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
      const first = await driver.delete(slug).catch(() => null);
      expect(crashes).toBe(1);
      if (!(step === 'finalize' && when === 'after')) expect(first?.deletedAt ?? null).toBeNull();

      const healed = await driver.reconcile(rec.id);
      expect(healed.deletedAt).toBeInstanceOf(Date);
      expect(healed.status.lastError).toBeNull();
      expect([await schemaExists(rec.id), await userExists(rec.id)]).toEqual([false, false]);
      expect(await readFile(join(snapshotDir, `t_${rec.id}.sql`), 'utf8')).toContain("'Kept','Row'");
    } finally {
      await driver.close();
    }
  });
});
