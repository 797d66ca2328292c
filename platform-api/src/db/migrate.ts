import {
  connectionFromUrl,
  createDb,
  ident,
  migrate,
  type Knex,
  type Migration,
  type MigrationResult,
} from '@solar/common';
import { platformInitial } from '../../migrations/20261124_001_platform.js';
import { platformIdentitySecurity } from '../../migrations/20261124_010_identity_security.js';
import { platformApiKeys } from '../../migrations/20261124_011_api_keys.js';
import { tenantLifecycle } from '../../migrations/20261124_020_tenant_lifecycle.js';
import { tenantSso } from '../../migrations/20261124_030_tenant_sso.js';
import { platformAdmins } from '../../migrations/20261124_040_platform_admins.js';
import { routing } from '../../migrations/20261124_050_routing.js';
import { identityMore } from '../../migrations/20261124_060_identity_more.js';

/** Every platform migration, oldest first. */
export const platformMigrations: readonly Migration[] = [
  platformInitial,
  platformIdentitySecurity,
  platformApiKeys,
  tenantLifecycle,
  tenantSso,
  platformAdmins,
  routing,
  identityMore,
];

/** Creates the platform database if missing (needs a server-level user, e.g. root locally). */
export async function ensurePlatformDatabase(url: string): Promise<void> {
  const { database } = connectionFromUrl(url);
  if (!database)
    throw new Error(
      'DATABASE_URL must name the platform database, e.g. mysql://root@127.0.0.1:3306/platform',
    );
  const server = createDb({ url, database: null, pool: { min: 0, max: 1 } });
  try {
    await server.raw(
      `CREATE DATABASE IF NOT EXISTS ${ident(database)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await server.destroy();
  }
}

export async function migratePlatform(db: Knex): Promise<MigrationResult> {
  return migrate(db, platformMigrations);
}
