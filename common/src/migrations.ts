import type { Knex } from 'knex';

/** One forward-only migration. Names sort in the order they apply (YYYYMMDD_NNN_what). */
export interface Migration {
  name: string;
  up(db: Knex): Promise<void>;
}

/**
 * Feeds knex's migrator a fixed list of imported modules instead of globbing files, so the same
 * migrations run from source (tsx), from a build, and inside a container image.
 */
export function listSource(migrations: readonly Migration[]): Knex.MigrationSource<Migration> {
  return {
    getMigrations: async () => [...migrations],
    getMigrationName: (m) => m.name,
    getMigration: async (m) => ({
      up: (db: Knex) => m.up(db),
      // forward-only: a rollback is a new forward migration
      down: async () => {
        throw new Error(`migration ${m.name} is forward-only`);
      },
    }),
  };
}

export interface MigrationResult {
  /** name of the newest applied migration; '' when none */
  version: string;
  /** migrations applied by this call, in order */
  applied: string[];
}

/** Applies every pending migration in `migrations` to the database `db` points at. */
export async function migrate(db: Knex, migrations: readonly Migration[]): Promise<MigrationResult> {
  const config = {
    migrationSource: listSource(migrations),
    tableName: 'knex_migrations',
    disableMigrationsListValidation: false,
  };
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  const [done] = (await db.migrate.list(config)) as [Array<{ name: string } | string>, unknown];
  const names = done.map((d) => (typeof d === 'string' ? d : d.name)).sort();
  return { version: names.at(-1) ?? '', applied };
}
