import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, ValidationFailed, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { latestTenantSchemaVersion } from '@solar/tenant-runtime/db/migrate';
import { createLocalCredentialStore } from './credential-store.js';
import { createLocalDriver, type LocalDriver, type TenantRecord } from './driver.js';

const secretKey = randomBytes(32);
const runtimeEndpoint = 'http://127.0.0.1:4100';
let platform: TestPlatformDb;
let admin: Knex;
let driver: LocalDriver;
const created: string[] = [];
const open: Knex[] = [];

async function applyNew(slug: string, extra: Record<string, unknown> = {}): Promise<TenantRecord> {
  const rec = await driver.apply({ slug, displayName: `Co ${slug}`, ...extra });
  created.push(rec.id);
  return rec;
}

async function passwordOf(id: string): Promise<string> {
  const pw = await createLocalCredentialStore(platform.db, secretKey).get(id);
  if (!pw) throw new Error('no password stored');
  return pw;
}

/** A connection as the tenant's own DB user, optionally with another default database. */
async function loginAs(rec: TenantRecord, database: string | null = `t_${rec.id}`): Promise<Knex> {
  const db = createDb({
    url: testServerUrl,
    user: `t_${rec.id}`,
    password: await passwordOf(rec.id),
    database,
    pool: { min: 0, max: 1 },
  });
  open.push(db);
  return db;
}

async function sqlCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
    return undefined;
  } catch (err) {
    return (err as { code?: string }).code;
  }
}

async function rows<T>(sql: string, bindings: string[] = []): Promise<T[]> {
  const [r] = (await admin.raw(sql, bindings)) as [T[], unknown];
  return r;
}

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
  driver = createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint,
    logger: createLogger('operator-test', 'silent'),
  });
});

afterAll(async () => {
  await driver?.close();
  await Promise.all(open.map((db) => db.destroy()));
  for (const id of created) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
});

describe('local driver: provisioning', () => {
  let acme: TenantRecord;
  let globex: TenantRecord;

  beforeAll(async () => {
    acme = await applyNew('acme-solar');
    globex = await applyNew('globex-solar');
  });

  it('brings a new tenant to Ready with its schema, user, migrations and routing entry', async () => {
    expect(acme.id).toMatch(/^[a-z0-9]{12}$/);
    expect(acme.status).toMatchObject({
      phase: 'Ready',
      observedGeneration: 1,
      database: { schema: `t_${acme.id}`, user: `t_${acme.id}` },
      schemaVersion: latestTenantSchemaVersion,
      endpoint: runtimeEndpoint,
      lastError: null,
    });
    const types = acme.status.conditions.map((c) => [c.type, c.status]);
    expect(types).toEqual([
      ['DatabaseReady', 'True'],
      ['Migrated', 'True'],
      ['Routable', 'True'],
      ['Suspended', 'False'],
      ['Ready', 'True'],
    ]);
    const [schema] = await rows<{ cs: string }>(
      'SELECT DEFAULT_CHARACTER_SET_NAME AS cs FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [`t_${acme.id}`],
    );
    expect(schema?.cs).toBe('utf8mb4');
    // the password is sealed at rest, never stored in the clear
    const row = await platform.db('tenants').where({ id: acme.id }).first();
    expect(row.db_password_sealed).toMatch(/^v1\./);
    expect(row.db_password_sealed).not.toContain(await passwordOf(acme.id));
  });

  it('gives the tenant user read/write and DDL on its own schema', async () => {
    const db = await loginAs(acme);
    await db('leads').insert({
      id: crypto.randomUUID(),
      first_name: 'Ada',
      last_name: 'Byron',
      source: 'web',
    });
    expect(await db('leads').pluck('first_name')).toEqual(['Ada']);
    await db.schema.createTable('scratch', (t) => t.increments('id'));
    await db.schema.dropTable('scratch');
  });

  it("refuses the tenant user another tenant's schema and the platform database", async () => {
    const db = await loginAs(acme, null);
    expect(await sqlCode(db.raw(`SELECT * FROM ${ident(`t_${globex.id}`)}.leads`))).toBe(
      'ER_TABLEACCESS_DENIED_ERROR',
    );
    expect(await sqlCode(db.raw(`USE ${ident(`t_${globex.id}`)}`))).toBe('ER_DBACCESS_DENIED_ERROR');
    expect(await sqlCode(db.raw(`SELECT * FROM ${ident(platform.name)}.tenants`))).toBe(
      'ER_TABLEACCESS_DENIED_ERROR',
    );
    expect(await sqlCode(db.raw(`USE ${ident(platform.name)}`))).toBe('ER_DBACCESS_DENIED_ERROR');
    expect(await sqlCode(db.raw(`CREATE DATABASE ${ident(`t_${acme.id}x`)}`))).toBe(
      'ER_DBACCESS_DENIED_ERROR',
    );
  });

  it('cannot pass its privileges on (no GRANT OPTION)', async () => {
    const db = await loginAs(acme);
    const code = await sqlCode(
      db.raw(`GRANT SELECT ON ${ident(`t_${acme.id}`)}.* TO ?@'%'`, [`t_${globex.id}`]),
    );
    expect(code).toBe('ER_DBACCESS_DENIED_ERROR');
  });

  it('applying the same spec again changes nothing at all', async () => {
    const before = await platform.db('tenants').where({ id: acme.id }).first();
    const migrationsBefore = await rows(`SELECT * FROM ${ident(`t_${acme.id}`)}.knex_migrations`);
    const again = await driver.apply({ slug: 'acme-solar', displayName: 'Co acme-solar' });
    const after = await platform.db('tenants').where({ id: acme.id }).first();
    expect(again.id).toBe(acme.id);
    expect(after).toEqual(before); // same generation, updated_at, sealed password, conditions
    expect(await rows(`SELECT * FROM ${ident(`t_${acme.id}`)}.knex_migrations`)).toEqual(migrationsBefore);
    expect(again.status).toEqual(acme.status);
  });

  it('bumps generation once per real spec change and converges to it', async () => {
    const changed = await driver.apply({ slug: 'acme-solar', displayName: 'Acme Solar Inc', plan: 'growth' });
    expect(changed.generation).toBe(2);
    expect(changed.status).toMatchObject({ phase: 'Ready', observedGeneration: 2 });
    expect(changed.spec).toMatchObject({ displayName: 'Acme Solar Inc', plan: 'growth' });
    const same = await driver.apply({ slug: 'acme-solar', displayName: 'Acme Solar Inc', plan: 'growth' });
    expect(same.generation).toBe(2);
    acme = same;
  });

  it('keeps custom domains as part of the spec', async () => {
    const rec = await driver.apply({
      slug: 'acme-solar',
      displayName: 'Acme Solar Inc',
      plan: 'growth',
      domains: ['crm.acme-solar.com'],
    });
    expect(rec.generation).toBe(3);
    expect(rec.spec.domains).toEqual(['crm.acme-solar.com']);
    await expect(
      driver.apply({ slug: 'globex-solar', displayName: 'Co globex-solar', domains: ['crm.acme-solar.com'] }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('rejects an invalid spec with field errors and writes nothing', async () => {
    const count = await platform.db('tenants').count({ n: '*' });
    const err = await driver.apply({ slug: 'Bad Slug', displayName: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationFailed);
    expect(Object.keys((err as ValidationFailed).fields).sort()).toEqual(['spec.displayName', 'spec.slug']);
    expect(await platform.db('tenants').count({ n: '*' })).toEqual(count);
  });
});

describe('local driver: drift repair', () => {
  it('restores the stored password when the DB user was changed by hand', async () => {
    const rec = await applyNew('drift-pw');
    await admin.raw("ALTER USER ?@'%' IDENTIFIED BY 'someone-else'", [`t_${rec.id}`]);
    expect(await sqlCode((await loginAs(rec)).raw('SELECT 1'))).toBe('ER_ACCESS_DENIED_ERROR');
    const fixed = await driver.reconcile(rec.id);
    expect(fixed.status.phase).toBe('Ready');
    expect(await (await loginAs(rec)).raw('SELECT 1')).toBeTruthy();
  });

  it('revokes privileges beyond its own schema that were granted by hand', async () => {
    const rec = await applyNew('drift-grant');
    await admin.raw(`GRANT SELECT ON ${ident(platform.name)}.* TO ?@'%'`, [`t_${rec.id}`]);
    await admin.raw(`GRANT SELECT ON ${ident(`t_${rec.id}`)}.* TO ?@'%' WITH GRANT OPTION`, [`t_${rec.id}`]);
    await driver.reconcile(rec.id);
    const db = await loginAs(rec, null);
    expect(await sqlCode(db.raw(`SELECT * FROM ${ident(platform.name)}.tenants`))).toBe(
      'ER_TABLEACCESS_DENIED_ERROR',
    );
    const grants = await rows<Record<string, string>>("SHOW GRANTS FOR ?@'%'", [`t_${rec.id}`]);
    expect(grants.map((g) => Object.values(g)[0]).join('\n')).not.toMatch(/WITH GRANT OPTION|platform/);
  });
});

describe('local driver: suspend and resume', () => {
  it('suspends on spec.suspended and returns to Ready on resume, data intact', async () => {
    const rec = await applyNew('sunny-co');
    await (
      await loginAs(rec)
    )('leads').insert({ id: crypto.randomUUID(), first_name: 'A', last_name: 'B', source: 'x' });

    const suspended = await driver.apply({ slug: 'sunny-co', displayName: 'Co sunny-co', suspended: true });
    expect(suspended.status.phase).toBe('Suspended');
    const cond = Object.fromEntries(suspended.status.conditions.map((c) => [c.type, c]));
    expect(cond.Suspended).toMatchObject({
      status: 'True',
      reason: 'SuspendedBySpec',
      observedGeneration: 2,
    });
    expect(cond.Ready).toMatchObject({ status: 'False', reason: 'Suspended' });

    const resumed = await driver.apply({ slug: 'sunny-co', displayName: 'Co sunny-co', suspended: false });
    expect(resumed.status.phase).toBe('Ready');
    expect(resumed.status.conditions.find((c) => c.type === 'Suspended')).toMatchObject({ status: 'False' });
    expect(await (await loginAs(rec))('leads').count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('local driver: run loop', () => {
  it('provisions a tenant that platform-api signup wrote straight into the registry', async () => {
    const id = 'signup0000a1';
    created.push(id);
    await platform.db('tenants').insert({ id, slug: 'signup-co', display_name: 'Signup Co' });
    driver.run({ intervalMs: 50 });
    try {
      await expect
        .poll(async () => (await driver.getById(id))?.status.phase, { timeout: 10_000 })
        .toBe('Ready');
    } finally {
      await driver.stop();
    }
    const rec = await driver.get('signup-co');
    expect(rec?.status.endpoint).toBe(runtimeEndpoint);
  });

  it('retries a failing tenant with exponential backoff until it converges', async () => {
    const attempts: number[] = [];
    const id = 'flaky0000000';
    const flaky = createLocalDriver({
      platformDb: platform.db,
      adminDbUrl: testServerUrl,
      secretKey,
      runtimeEndpoint,
      logger: createLogger('operator-test', 'silent'),
      backoff: { baseMs: 150, maxMs: 10_000 },
      faults: (p) => {
        if (p.tenantId !== id || p.step !== 'migrate' || p.when !== 'before') return;
        attempts.push(Date.now());
        if (attempts.length <= 2) throw new Error('database busy');
      },
    });
    created.push(id);
    await platform.db('tenants').insert({ id, slug: 'flaky-co', display_name: 'Flaky Co' });
    flaky.run({ intervalMs: 10 });
    try {
      await expect
        .poll(async () => (await flaky.getById(id))?.status.phase, { timeout: 10_000 })
        .toBe('Ready');
    } finally {
      await flaky.close();
    }
    expect(attempts).toHaveLength(3);
    const [a, b, c] = attempts as [number, number, number];
    expect(b - a).toBeGreaterThanOrEqual(150);
    expect(c - b).toBeGreaterThanOrEqual(300); // doubled after the second failure
  });
});
