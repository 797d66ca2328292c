import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatformDb, type TestPlatformDb } from '@solar/platform-api/testing/platform-db';
import { provisionTestTenant, type TestTenant } from './testing.js';

describe('provisionTestTenant', () => {
  let platform: TestPlatformDb;
  let tenant: TestTenant;
  const secretKey = randomBytes(32);

  beforeAll(async () => {
    platform = await createTestPlatformDb();
    tenant = await provisionTestTenant({ platformDb: platform.db, secretKey });
  });
  afterAll(async () => {
    await tenant?.destroy();
    await platform?.drop();
  });

  it('hands back a Ready tenant whose own connection sees the migrated leads table', async () => {
    const row = await platform.db('tenants').where({ id: tenant.id }).first();
    expect(row).toMatchObject({ slug: tenant.slug, phase: 'Ready', db_schema: tenant.schema });
    await tenant
      .db('leads')
      .insert({ id: crypto.randomUUID(), first_name: 'Ada', last_name: 'L', source: 'web' });
    expect(await tenant.db('leads').count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('destroy drops the schema and the DB user', async () => {
    const other = await provisionTestTenant({ platformDb: platform.db, secretKey });
    await other.destroy();
    const [schemas] = await platform.db.raw(
      'SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
      [other.schema],
    );
    const [users] = await platform.db.raw("SELECT 1 FROM mysql.user WHERE User = ? AND Host = '%'", [
      other.user,
    ]);
    expect(schemas).toHaveLength(0);
    expect(users).toHaveLength(0);
  });
});
