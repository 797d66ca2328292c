/**
 * Entry point of the per-tenant migration Job the operator's Kubernetes driver creates for each schema
 * version: connects as the tenant's own DB user (credentials from the tenant's Secret) and applies pending
 * tenant migrations. Exit code 0 only when the schema is at the latest version, so the Job's status is the
 * operator's Migrated condition.
 */
import { z } from 'zod';
import { createDb, createLogger, loadConfig } from '@solar/common';
import { latestTenantSchemaVersion, migrateTenant } from './migrate.js';

const config = loadConfig(
  z.object({
    TENANT_ID: z.string().regex(/^[a-z0-9]{12}$/),
    DB_HOST: z.string().min(1),
    DB_PORT: z.coerce.number().int().min(1).max(65535).default(3306),
    DB_USER: z.string().min(1),
    DB_PASSWORD: z.string().min(1),
    DB_NAME: z.string().min(1),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }),
);
const logger = createLogger('tenant-migrate', config.LOG_LEVEL).child({ tenant: config.TENANT_ID });
const db = createDb({
  url: `mysql://${encodeURIComponent(config.DB_USER)}@${config.DB_HOST}:${config.DB_PORT}/`,
  user: config.DB_USER,
  password: config.DB_PASSWORD,
  database: config.DB_NAME,
  pool: { min: 0, max: 1 },
  label: config.DB_NAME,
});
try {
  const result = await migrateTenant(db);
  logger.info({ applied: result.applied, version: result.version }, 'tenant migrations applied');
  if (result.version !== latestTenantSchemaVersion) {
    logger.error(
      { version: result.version, expected: latestTenantSchemaVersion },
      'schema is not at the latest version',
    );
    process.exitCode = 1;
  }
} catch (err) {
  logger.error({ err }, 'tenant migration failed');
  process.exitCode = 1;
} finally {
  await db.destroy();
}
