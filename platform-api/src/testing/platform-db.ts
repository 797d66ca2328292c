import { randomBytes } from 'node:crypto';
import { createDb, ident, type Knex } from '@solar/common';
import { ensurePlatformDatabase, migratePlatform } from '../db/migrate.js';

/** Server-level URL tests use (root on the local MariaDB unless TEST_DATABASE_URL says otherwise). */
export const testServerUrl = process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';

export interface TestPlatformDb {
  db: Knex;
  /** DATABASE_URL pointing at this test's own platform database */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated platform database for one test file, so test files can run in parallel
 * against the same server without seeing each other's tenants.
 */
export async function createTestPlatformDb(): Promise<TestPlatformDb> {
  const name = `platform_test_${randomBytes(5).toString('hex')}`;
  const server = new URL(testServerUrl);
  server.pathname = `/${name}`;
  const url = server.toString();
  await ensurePlatformDatabase(url);
  const db = createDb({ url, pool: { min: 0, max: 5 } });
  await migratePlatform(db);
  return {
    db,
    url,
    name,
    async drop() {
      await db.raw(`DROP DATABASE IF EXISTS ${ident(name)}`);
      await db.destroy();
    },
  };
}
