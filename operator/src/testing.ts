import { randomBytes } from 'node:crypto';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import { createLocalCredentialStore } from './local/credential-store.js';
import { createLocalDriver } from './local/driver.js';

export interface TestTenant {
  id: string;
  slug: string;
  schema: string;
  user: string;
  password: string;
  /** connected as the tenant's own DB user to its own schema (migrated to the latest tenant migration) */
  db: Knex;
  /** closes `db`, drops the schema and the DB user, and removes the registry row */
  destroy(): Promise<void>;
}

export interface ProvisionTestTenantOptions {
  /** the test file's platform database (createTestPlatformDb().db) */
  platformDb: Knex;
  /** server-level URL (root); default TEST_DATABASE_URL or mysql://root@127.0.0.1:3306/ */
  adminDbUrl?: string;
  secretKey: Buffer;
  slug?: string;
  runtimeEndpoint?: string;
}

/**
 * A real, Ready tenant for integration tests, provisioned by the local driver exactly as production does
 * (schema, user, grants, tenant migrations run as that user, routing entry).
 */
export async function provisionTestTenant(opts: ProvisionTestTenantOptions): Promise<TestTenant> {
  const adminDbUrl = opts.adminDbUrl ?? process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/';
  const slug = opts.slug ?? `test-${randomBytes(4).toString('hex')}`;
  const driver = createLocalDriver({
    platformDb: opts.platformDb,
    adminDbUrl,
    secretKey: opts.secretKey,
    runtimeEndpoint: opts.runtimeEndpoint ?? 'http://127.0.0.1:4100',
    logger: createLogger('operator-test', 'silent'),
  });
  let record;
  try {
    record = await driver.apply({ slug, displayName: `Test ${slug}` });
  } finally {
    await driver.close();
  }
  if (record.status.phase !== 'Ready' || !record.status.database)
    throw new Error(
      `test tenant ${slug} is ${record.status.phase}: ${record.status.lastError ?? 'no error'}`,
    );
  const { schema, user } = record.status.database;
  const password = await createLocalCredentialStore(opts.platformDb, opts.secretKey).get(record.id);
  if (!password) throw new Error(`test tenant ${slug} has no stored password`);
  const db = createDb({
    url: adminDbUrl,
    user,
    password,
    database: schema,
    pool: { min: 0, max: 5 },
    label: schema,
  });
  const id = record.id;

  return {
    id,
    slug,
    schema,
    user,
    password,
    db,
    async destroy() {
      await db.destroy();
      const admin = createDb({ url: adminDbUrl, database: null, pool: { min: 0, max: 1 } });
      try {
        await admin.raw(`DROP DATABASE IF EXISTS ${ident(schema)}`);
        await admin.raw("DROP USER IF EXISTS ?@'%'", [user]);
      } finally {
        await admin.destroy();
      }
      // The registry row goes too, unless the test already dropped its platform database.
      await opts
        .platformDb('tenants')
        .where({ id })
        .delete()
        .catch(() => undefined);
    },
  };
}
