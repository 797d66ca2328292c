import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Tables whose newest-first lists a manager reads by subtree. For each, `<table>_in_units` holds one row per
 * (unit, row) for the row's own unit AND every unit above it, so "everything under my branch" is one key of
 * one index: a page walks (unit_id, row_id) backwards and stops after 50 entries, instead of filtering a walk
 * over every row for the subtree's units. Measured in tenant-runtime/bench/scoping.bench.ts.
 *
 * `owned_units` counts, per owner and table, the rows they own in each unit ('' for none), so the access
 * resolver knows whether "rows I own" reaches beyond the units a scope already covers; when it does not, a
 * page needs no second branch for them. A pair that appears bumps `members.ownership_version`, which the
 * resolver reads with every request, so the next request of that owner sees it.
 *
 * Triggers keep both in the same transaction as every write, whatever path it takes (bulk updates, imports),
 * and a unit moved in the tree rebuilds its rows' closure. The closure only narrows where a page looks: the
 * page still applies the scope predicate to each row it returns.
 */
export const CLOSURE_TABLES = ['leads', 'accounts', 'opportunities'] as const;

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/** The unit whose path is `pathExpr` and every unit above it: their ids are its segments (`/region/branch/team/`). */
const ancestorsOf = (pathExpr: string) => `org_units a WHERE LOCATE(CONCAT('/', a.id, '/'), ${pathExpr}) > 0`;

/** +1 (or −1) rows owned by `owner` in `unit` of `table`; a pair that becomes 1 bumps the owner's version. */
const countOwned = (table: string, owner: string, unit: string, delta: 1 | -1) =>
  delta === 1
    ? `IF ${owner} IS NOT NULL THEN
        INSERT INTO owned_units (owner_id, table_name, unit_id, row_count)
          VALUES (${owner}, '${table}', COALESCE(${unit}, ''), 1)
          ON DUPLICATE KEY UPDATE row_count = row_count + 1;
        IF (SELECT row_count FROM owned_units
              WHERE owner_id = ${owner} AND table_name = '${table}' AND unit_id = COALESCE(${unit}, '')) = 1 THEN
          UPDATE members SET ownership_version = ownership_version + 1 WHERE id = ${owner};
        END IF;
      END IF;`
    : `IF ${owner} IS NOT NULL THEN
        UPDATE owned_units SET row_count = row_count - 1
          WHERE owner_id = ${owner} AND table_name = '${table}' AND unit_id = COALESCE(${unit}, '') AND row_count > 0;
      END IF;`;

const closeOver = (table: string, row: string, unit: string) =>
  `IF ${unit} IS NOT NULL THEN
    INSERT INTO ${table}_in_units (unit_id, row_id)
      SELECT a.id, ${row} FROM ${ancestorsOf(`(SELECT path FROM org_units WHERE id = ${unit})`)};
  END IF;`;

/** The triggers, by name: what the baseline must also carry (see baseline.ts). */
export function unitClosureTriggers(): Array<{ name: string; sql: string }> {
  const triggers: Array<{ name: string; sql: string }> = [];
  for (const t of CLOSURE_TABLES) {
    triggers.push({
      name: `${t}_after_insert`,
      sql: `CREATE TRIGGER ${t}_after_insert AFTER INSERT ON ${t} FOR EACH ROW BEGIN
        ${closeOver(t, 'NEW.id', 'NEW.unit_id')}
        ${countOwned(t, 'NEW.owner_id', 'NEW.unit_id', 1)}
      END`,
    });
    triggers.push({
      name: `${t}_after_update`,
      sql: `CREATE TRIGGER ${t}_after_update AFTER UPDATE ON ${t} FOR EACH ROW BEGIN
        IF NOT (NEW.unit_id <=> OLD.unit_id) THEN
          DELETE FROM ${t}_in_units WHERE row_id = OLD.id;
          ${closeOver(t, 'NEW.id', 'NEW.unit_id')}
        END IF;
        IF NOT (NEW.unit_id <=> OLD.unit_id AND NEW.owner_id <=> OLD.owner_id) THEN
          ${countOwned(t, 'OLD.owner_id', 'OLD.unit_id', -1)}
          ${countOwned(t, 'NEW.owner_id', 'NEW.unit_id', 1)}
        END IF;
      END`,
    });
    triggers.push({
      name: `${t}_after_delete`,
      sql: `CREATE TRIGGER ${t}_after_delete AFTER DELETE ON ${t} FOR EACH ROW BEGIN
        ${countOwned(t, 'OLD.owner_id', 'OLD.unit_id', -1)}
      END`,
    });
  }
  // a unit moved in the tree (its path rewritten): its rows sit under other units now
  triggers.push({
    name: 'org_units_after_update',
    sql: `CREATE TRIGGER org_units_after_update AFTER UPDATE ON org_units FOR EACH ROW BEGIN
      IF NOT (NEW.path <=> OLD.path) THEN
        ${CLOSURE_TABLES.map(
          (t) => `DELETE c FROM ${t}_in_units c JOIN ${t} r ON r.id = c.row_id WHERE r.unit_id = NEW.id;
        INSERT INTO ${t}_in_units (unit_id, row_id)
          SELECT a.id, r.id FROM ${t} r JOIN ${ancestorsOf('NEW.path')} AND r.unit_id = NEW.id;`,
        ).join('\n        ')}
      END IF;
    END`,
  });
  return triggers;
}

export const unitClosure: Migration = {
  name: '20261203_110_unit_closure',
  async up(db: Knex) {
    for (const t of CLOSURE_TABLES) {
      await db.raw(
        `CREATE TABLE IF NOT EXISTS ${t}_in_units (
          unit_id ${ID} NOT NULL COMMENT 'the row''s unit or one above it',
          row_id ${ID} NOT NULL,
          PRIMARY KEY (unit_id, row_id),
          KEY ${t}_in_units_row_id_index (row_id),
          CONSTRAINT ${t}_in_units_row_id_foreign FOREIGN KEY (row_id) REFERENCES ${t} (id) ON DELETE CASCADE
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
          COMMENT='${t} by every unit they sit under (triggers keep it)'`,
      );
    }
    await db.raw(
      `CREATE TABLE IF NOT EXISTS owned_units (
        owner_id ${ID} NOT NULL,
        table_name VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        unit_id VARCHAR(36) CHARACTER SET ascii COLLATE ascii_bin NOT NULL COMMENT 'empty for rows with no unit',
        row_count INT UNSIGNED NOT NULL,
        PRIMARY KEY (owner_id, table_name, unit_id)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci
        COMMENT='rows each member owns, by table and unit (triggers keep it)'`,
    );
    const [columns] = (await db.raw("SHOW COLUMNS FROM members LIKE 'ownership_version'")) as [unknown[]];
    if (!columns.length)
      await db.raw(
        "ALTER TABLE members ADD COLUMN ownership_version BIGINT UNSIGNED NOT NULL DEFAULT 0 COMMENT 'bumped when the member comes to own rows in a unit new to them'",
      );
    // re-runnable after a crash halfway: triggers and derived rows are rebuilt from the tables
    for (const { name, sql } of unitClosureTriggers()) {
      await db.raw(`DROP TRIGGER IF EXISTS ${name}`);
      await db.raw(sql);
    }
    for (const t of CLOSURE_TABLES) {
      await db.raw(`DELETE FROM ${t}_in_units`);
      await db.raw(
        `INSERT INTO ${t}_in_units (unit_id, row_id)
          SELECT a.id, r.id FROM ${t} r JOIN org_units u ON u.id = r.unit_id
          JOIN org_units a ON LOCATE(CONCAT('/', a.id, '/'), u.path) > 0`,
      );
    }
    await db.raw('DELETE FROM owned_units');
    for (const t of CLOSURE_TABLES)
      await db.raw(
        `INSERT INTO owned_units (owner_id, table_name, unit_id, row_count)
          SELECT owner_id, '${t}', COALESCE(unit_id, ''), COUNT(*) FROM ${t}
          WHERE owner_id IS NOT NULL GROUP BY owner_id, COALESCE(unit_id, '')`,
      );
  },
};
