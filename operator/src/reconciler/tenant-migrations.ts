import { listSource, migrate, type Knex, type Migration } from '@solar/common';
import { migrateTenant, tenantMigrations } from '@solar/tenant-runtime/db/migrate';

const TABLE = 'knex_migrations';

/**
 * Brings the schema `db` is logged in to up to date. Lists first, so an up-to-date tenant costs one read
 * and takes no migration lock (a converged reconcile writes nothing).
 *
 * Call it only while holding `withTenantMigrationLock`: that makes this operator the one migrator of the
 * tenant, so a knex lock still set is the leftover of a process killed mid-migration and is freed here —
 * otherwise the tenant would stay stuck on "Migration table is already locked" forever.
 * @param injected a migration list to use instead of tenant-runtime's (tests)
 */
export async function migrateTenantSchema(
  db: Knex,
  injected?: readonly Migration[],
): Promise<{ version: string; applied: string[] }> {
  const list = injected ?? tenantMigrations;
  const config = { migrationSource: listSource(list), tableName: TABLE };
  const [done, pending] = (await db.migrate.list(config)) as [Array<{ name: string } | string>, unknown[]];
  if (pending.length === 0) {
    const names = done.map((d) => (typeof d === 'string' ? d : d.name)).sort();
    return { version: names.at(-1) ?? '', applied: [] };
  }
  const lock = (await db(`${TABLE}_lock`).first('is_locked')) as { is_locked: number } | undefined;
  if (lock?.is_locked) await db.migrate.forceFreeMigrationsLock(config);
  return injected ? migrate(db, injected) : migrateTenant(db);
}

/**
 * Runs `fn` holding a server-wide named lock for the tenant's migrations (GET_LOCK), so two operator
 * processes never run knex's migrator on one schema at once (its table set-up is not race-safe).
 */
export async function withTenantMigrationLock<T>(
  admin: Knex,
  schema: string,
  fn: () => Promise<T>,
  timeoutSeconds = 30,
): Promise<T> {
  const name = `solar-crm:migrate:${schema}`;
  // a transaction pins one pooled connection, and named locks belong to a connection
  return admin.transaction(async (trx) => {
    const [rows] = (await trx.raw('SELECT GET_LOCK(?, ?) AS got', [name, timeoutSeconds])) as [
      Array<{ got: number | null }>,
      unknown,
    ];
    if (rows[0]?.got !== 1) throw new Error(`another operator is migrating ${schema}; try again later`);
    try {
      return await fn();
    } finally {
      await trx.raw('SELECT RELEASE_LOCK(?)', [name]);
    }
  });
}

/** The version a tenant reaches once `list` (default: tenant-runtime's) has fully applied. */
export function latestVersion(injected?: readonly Migration[]): string {
  return (injected ?? tenantMigrations).at(-1)?.name ?? '';
}
