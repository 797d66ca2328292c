import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTestTenant, type TestTenant } from '@solar/operator/testing';
import { createTestPlatformDb, type TestPlatformDb } from '@solar/platform-api/testing/platform-db';
import { latestTenantSchemaVersion } from './migrate.js';

let platform: TestPlatformDb;
let tenant: TestTenant;
beforeAll(async () => {
  platform = await createTestPlatformDb();
  tenant = await provisionTestTenant({ platformDb: platform.db, secretKey: randomBytes(32) });
});
afterAll(async () => {
  await tenant?.destroy();
  await platform?.drop();
});

const runJob = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', new URL('./migrate-job.ts', import.meta.url).pathname], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('the migration Job entry point', () => {
  it("brings the tenant's schema to the latest version as the tenant's own user, and exits 0", async () => {
    const result = runJob({
      TENANT_ID: tenant.id,
      DB_HOST: '127.0.0.1',
      DB_USER: tenant.user,
      DB_PASSWORD: tenant.password,
      DB_NAME: tenant.schema,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(latestTenantSchemaVersion);
    const [rows] = (await tenant.db.raw('SELECT MAX(name) AS v FROM knex_migrations')) as [
      Array<{ v: string }>,
    ];
    expect(rows[0]!.v).toBe(latestTenantSchemaVersion);
  });

  it('fails the Job (non-zero exit) with a wrong password, and says so without printing it', () => {
    const result = runJob({
      TENANT_ID: tenant.id,
      DB_HOST: '127.0.0.1',
      DB_USER: tenant.user,
      DB_PASSWORD: 'not-the-password-xyz',
      DB_NAME: tenant.schema,
    });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/tenant migration failed/);
    expect(result.stdout + result.stderr).not.toContain('not-the-password-xyz');
  });
});
