import type { Knex } from '@solar/common';

/**
 * The schema a run of the first `migrations` produces, captured once (`baseline-generate.ts`), so a NEW
 * tenant gets it in ~30 statements instead of ~110 (knex creates a table, then alters it once per index and
 * foreign key; each ALTER rewrites the table's metadata and waits for the disk). Existing tenants keep
 * upgrading step by step; a baseline only ever applies to a schema with no migration recorded.
 */
export interface SchemaBaseline {
  /** the migrations it stands for, oldest first; recorded as applied once it is in place */
  migrations: readonly string[];
  /** `CREATE TABLE IF NOT EXISTS …` per table, as the server printed it after the migrations ran */
  tables: readonly string[];
  /** rows the migrations seeded (roles, stages…), without columns the server fills (CURRENT_TIMESTAMP) */
  rows: ReadonlyArray<{ table: string; rows: ReadonlyArray<Record<string, string | number | null>> }>;
  /** `CREATE TRIGGER …` by name, without a DEFINER: created as the tenant's own user */
  triggers?: ReadonlyArray<{ name: string; sql: string }>;
}

const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

/** Captures the schema `db` is connected to (already migrated through `migrations`) as a baseline. */
export async function dumpBaseline(db: Knex, migrations: readonly string[]): Promise<SchemaBaseline> {
  const tableNames = (
    (await db('information_schema.TABLES')
      .where({ TABLE_SCHEMA: db.raw('DATABASE()'), TABLE_TYPE: 'BASE TABLE' })
      .whereNotIn('TABLE_NAME', KNEX_TABLES)
      .orderBy('TABLE_NAME')
      .select({ name: 'TABLE_NAME' })) as Array<{ name: string }>
  ).map((t) => t.name);
  const tables: string[] = [];
  const rows: Array<{ table: string; rows: Array<Record<string, string | number | null>> }> = [];
  for (const table of tableNames) {
    const [[shown]] = (await db.raw('SHOW CREATE TABLE ??', [table])) as [[{ 'Create Table': string }]];
    tables.push(
      shown['Create Table']
        .replace(/^CREATE TABLE /, 'CREATE TABLE IF NOT EXISTS ')
        .replace(/ AUTO_INCREMENT=\d+/, ''),
    );
    const serverFilled = new Set(
      (
        (await db('information_schema.COLUMNS')
          .where({ TABLE_SCHEMA: db.raw('DATABASE()'), TABLE_NAME: table })
          .whereRaw('LOWER(COLUMN_DEFAULT) LIKE ?', ['current_timestamp%'])
          .select({ name: 'COLUMN_NAME' })) as Array<{ name: string }>
      ).map((c) => c.name),
    );
    const seeded = (await db(table).select()) as Array<Record<string, unknown>>;
    if (!seeded.length) continue;
    const kept = seeded.map(
      (row) =>
        Object.fromEntries(
          Object.entries(row)
            .filter(([column]) => !serverFilled.has(column))
            .map(([column, value]) => {
              // JSON columns come back parsed (createDb's typeCast); they go back in as JSON text
              if (
                value !== null &&
                typeof value === 'object' &&
                !(value instanceof Date) &&
                !Buffer.isBuffer(value)
              )
                return [column, JSON.stringify(value)];
              if (value !== null && typeof value !== 'string' && typeof value !== 'number')
                throw new Error(
                  `${table}.${column}: seed value of type ${typeof value} cannot go in a baseline`,
                );
              return [column, value];
            }),
        ) as Record<string, string | number | null>,
    );
    kept.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    rows.push({ table, rows: kept });
  }
  const triggers = (
    (await db('information_schema.TRIGGERS')
      .where({ TRIGGER_SCHEMA: db.raw('DATABASE()') })
      .orderBy('TRIGGER_NAME')
      .select({
        name: 'TRIGGER_NAME',
        timing: 'ACTION_TIMING',
        event: 'EVENT_MANIPULATION',
        table: 'EVENT_OBJECT_TABLE',
        body: 'ACTION_STATEMENT',
      })) as Array<{ name: string; timing: string; event: string; table: string; body: string }>
  ).map((t) => ({
    name: t.name,
    sql: `CREATE TRIGGER \`${t.name}\` ${t.timing} ${t.event} ON \`${t.table}\` FOR EACH ROW ${t.body}`,
  }));
  return { migrations: [...migrations], tables, rows, ...(triggers.length ? { triggers } : {}) };
}

/**
 * Puts `baseline` into the (fresh) schema `db` is connected to and records its migrations as applied, under
 * knex's migration lock. Idempotent: a run interrupted halfway (DDL commits as it goes) is finished by the
 * next one — tables that exist are kept, seeded rows that exist are skipped.
 */
export async function applyBaseline(db: Knex, baseline: SchemaBaseline, tableName: string): Promise<void> {
  const locked = await db(`${tableName}_lock`).where({ is_locked: 0 }).update({ is_locked: 1 });
  if (locked !== 1) throw new Error('Migration table is already locked');
  try {
    // one connection for all of it: foreign keys may point at tables created later (leads ⇄ opportunities)
    await db.transaction(async (trx) => {
      await trx.raw('SET SESSION foreign_key_checks = 0');
      try {
        for (const create of baseline.tables) await trx.raw(create);
        for (const { table, rows } of baseline.rows) await trx(table).insert(rows).onConflict().ignore();
        for (const { name, sql } of baseline.triggers ?? []) {
          await trx.raw('DROP TRIGGER IF EXISTS ??', [name]);
          await trx.raw(sql);
        }
      } finally {
        await trx.raw('SET SESSION foreign_key_checks = 1');
      }
    });
    const now = new Date();
    await db(tableName).insert(baseline.migrations.map((name) => ({ name, batch: 1, migration_time: now })));
  } finally {
    await db(`${tableName}_lock`).update({ is_locked: 0 });
  }
}
