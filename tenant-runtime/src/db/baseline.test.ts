import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, ident, migrate, type Knex, type Migration } from '@solar/common';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import { tenantBaseline } from './baseline-schema.js';
import { MIGRATIONS_TABLE, migrateTenant, tenantMigrations } from './migrate.js';

const admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
const made: Array<{ schema: string; db: Knex }> = [];

/** A new, empty schema and a connection to it. */
async function freshSchema(): Promise<Knex> {
  const schema = `bl_test_${randomBytes(5).toString('hex')}`;
  await admin.raw(`CREATE DATABASE ${ident(schema)}`);
  const db = createDb({ url: testServerUrl, database: schema, pool: { min: 0, max: 2 } });
  made.push({ schema, db });
  return db;
}

afterAll(async () => {
  for (const { schema, db } of made) {
    await db.destroy();
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(schema)}`);
  }
  await admin.destroy();
});

/**
 * Everything about a schema a tenant would notice: tables and their options, columns, indexes, foreign
 * keys, checks, every row (without values the server stamps at creation) and the migrations recorded.
 */
async function describeSchema(db: Knex) {
  const q = async (sql: string) =>
    ((await db.raw(sql)) as [Array<Record<string, unknown>>])[0].map((r) => JSON.stringify(r));
  const here = 'TABLE_SCHEMA = DATABASE()';
  const tables = (
    await q(
      `SELECT TABLE_NAME FROM information_schema.TABLES WHERE ${here} AND TABLE_TYPE = 'BASE TABLE' ORDER BY 1`,
    )
  ).map((t) => (JSON.parse(t) as { TABLE_NAME: string }).TABLE_NAME);
  const rows: Record<string, string[]> = {};
  for (const table of tables.filter((t) => !t.startsWith('knex_'))) {
    const stamped = (await db('information_schema.COLUMNS')
      .where({ TABLE_SCHEMA: db.raw('DATABASE()'), TABLE_NAME: table })
      .whereRaw('LOWER(COLUMN_DEFAULT) LIKE ?', ['current_timestamp%'])
      .pluck('COLUMN_NAME')) as string[];
    rows[table] = ((await db(table).select()) as Array<Record<string, unknown>>)
      .map((r) => JSON.stringify(Object.entries(r).filter(([c]) => !stamped.includes(c))))
      .sort();
  }
  return {
    tables: await q(
      `SELECT TABLE_NAME, ENGINE, ROW_FORMAT, TABLE_COLLATION, CREATE_OPTIONS, TABLE_COMMENT
       FROM information_schema.TABLES WHERE ${here} ORDER BY TABLE_NAME`,
    ),
    columns: await q(
      `SELECT TABLE_NAME, COLUMN_NAME, ORDINAL_POSITION, COLUMN_DEFAULT, IS_NULLABLE, COLUMN_TYPE,
              CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_KEY, EXTRA, COLUMN_COMMENT, GENERATION_EXPRESSION
       FROM information_schema.COLUMNS WHERE ${here} ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    ),
    indexes: await q(
      `SELECT TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, NON_UNIQUE, COLLATION, SUB_PART, INDEX_TYPE
       FROM information_schema.STATISTICS WHERE ${here} ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    ),
    foreignKeys: await q(
      `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.ORDINAL_POSITION, k.REFERENCED_TABLE_NAME,
              k.REFERENCED_COLUMN_NAME, r.UPDATE_RULE, r.DELETE_RULE
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.TABLE_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
       WHERE k.${here} ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    ),
    checks: await q(
      `SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
       WHERE CONSTRAINT_SCHEMA = DATABASE() ORDER BY TABLE_NAME, CONSTRAINT_NAME`,
    ),
    triggers: await q(
      `SELECT TRIGGER_NAME, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_TIMING, ACTION_ORDER, ACTION_STATEMENT
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME`,
    ),
    rows,
    migrations: (await db(MIGRATIONS_TABLE).orderBy('name').pluck('name')) as string[],
  };
}

/** The reference: every tenant migration, one after another, as existing tenants got them. */
let stepByStep: Awaited<ReturnType<typeof describeSchema>> | undefined;
async function reference() {
  if (!stepByStep) {
    const db = await freshSchema();
    await migrate(db, tenantMigrations);
    stepByStep = await describeSchema(db);
  }
  return stepByStep;
}

describe('new tenant schemas start from the baseline', () => {
  it('gives a new schema exactly what the migrations build step by step, in far fewer statements', async () => {
    const db = await freshSchema();
    let statements = 0;
    db.on('query', () => statements++);
    const result = await migrateTenant(db);
    db.removeAllListeners('query');

    expect(tenantBaseline.migrations.length).toBeGreaterThan(1);
    expect(result.applied).toEqual(tenantMigrations.map((m) => m.name));
    expect(result.version).toBe(tenantMigrations.at(-1)!.name);
    const got = await describeSchema(db);
    const want = await reference();
    expect(got.tables).toEqual(want.tables);
    expect(got.columns).toEqual(want.columns);
    expect(got.indexes).toEqual(want.indexes);
    expect(got.foreignKeys).toEqual(want.foreignKeys);
    expect(got.checks).toEqual(want.checks);
    expect(got.triggers).toEqual(want.triggers);
    expect(got.rows).toEqual(want.rows);
    expect(got.migrations).toEqual(want.migrations);

    // the step-by-step run of the same list, counted the same way
    const slow = await freshSchema();
    let slowStatements = 0;
    slow.on('query', () => slowStatements++);
    await migrate(slow, tenantMigrations);
    slow.removeAllListeners('query');
    expect(statements).toBeLessThan(slowStatements / 2);
  });

  it('would notice a baseline that drifted from the migrations (one index missing)', async () => {
    const drifted = {
      ...tenantBaseline,
      tables: tenantBaseline.tables.map((t) => t.replace(/,\n\s+KEY `leads_city_index` \(`city`\)/, '')),
    };
    expect(drifted.tables).not.toEqual(tenantBaseline.tables);
    const db = await freshSchema();
    await migrateTenant(db, tenantMigrations, drifted);
    const got = await describeSchema(db);
    const want = await reference();
    expect(got.indexes.length).toBe(want.indexes.length - 1);
    expect(want.indexes.filter((i) => !got.indexes.includes(i))).toEqual([
      expect.stringContaining('"INDEX_NAME":"leads_city_index"'),
    ]);
  });

  it('finishes a baseline that was cut off halfway (DDL commits as it goes) on the next run', async () => {
    const db = await freshSchema();
    await db.migrate.list({ tableName: MIGRATIONS_TABLE, migrationSource: emptySource });
    // the process died after creating some of the tables, before recording anything
    await db.raw('SET SESSION foreign_key_checks = 0');
    for (const create of tenantBaseline.tables.slice(0, 9)) await db.raw(create);
    await db.raw('SET SESSION foreign_key_checks = 1');

    await migrateTenant(db);
    const got = await describeSchema(db);
    const want = await reference();
    expect(got.columns).toEqual(want.columns);
    expect(got.indexes).toEqual(want.indexes);
    expect(got.foreignKeys).toEqual(want.foreignKeys);
    expect(got.rows).toEqual(want.rows);
    expect(got.migrations).toEqual(want.migrations);
    // and a third run has nothing left to do
    expect((await migrateTenant(db)).applied).toEqual([]);
  });

  it('upgrades a schema already on an older version step by step, never through the baseline', async () => {
    const db = await freshSchema();
    await migrate(db, tenantMigrations.slice(0, 3));
    const result = await migrateTenant(db);
    expect(result.applied).toEqual(tenantMigrations.slice(3).map((m) => m.name));
    const got = await describeSchema(db);
    const want = await reference();
    expect(got.columns).toEqual(want.columns);
    expect(got.indexes).toEqual(want.indexes);
    expect(got.foreignKeys).toEqual(want.foreignKeys);
  });

  it('runs migrations newer than the baseline after it, and a failing one leaves the new schema on the version before', async () => {
    const extra: Migration = {
      name: '29991231_999_extra',
      async up(db) {
        await db.schema.createTable('baseline_test_extra', (t) => t.increments('id'));
      },
    };
    const db = await freshSchema();
    const result = await migrateTenant(db, [...tenantMigrations, extra]);
    expect(result.version).toBe(extra.name);
    expect(result.applied).toEqual([...tenantMigrations, extra].map((m) => m.name));
    expect(await db.schema.hasTable('baseline_test_extra')).toBe(true);

    const failing: Migration = {
      name: '29991231_999_broken',
      async up(db) {
        await db.raw('ALTER TABLE no_such_table ADD COLUMN x INT');
      },
    };
    const other = await freshSchema();
    await expect(migrateTenant(other, [...tenantMigrations, failing])).rejects.toThrow(/no_such_table/);
    const recorded = (await other(MIGRATIONS_TABLE).orderBy('name').pluck('name')) as string[];
    expect(recorded).toEqual(tenantMigrations.map((m) => m.name));
  });
});

const emptySource = {
  getMigrations: async () => [],
  getMigrationName: (m: never) => m,
  getMigration: async () => ({ up: async () => undefined }),
};
