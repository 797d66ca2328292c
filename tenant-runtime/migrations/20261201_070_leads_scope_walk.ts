import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * A newest-first page of leads for a wide scope (a manager's branch: several units, ~1/6 of the rows) walks
 * this index instead of the table: entries are in id order, newest first, and carry the unit and owner, so
 * MariaDB checks the scope inside the index (index condition pushdown) and reads only the rows that pass.
 * Walking the primary key read ~6 × the page's rows in full. Descending, because index condition pushdown is
 * not used on a backward scan. Measured in tenant-runtime/bench/scoping.bench.ts.
 */
export const leadsScopeWalk: Migration = {
  name: '20261201_070_leads_scope_walk',
  async up(db: Knex) {
    await db.raw('ALTER TABLE ?? ADD INDEX ?? (id DESC, unit_id, owner_id)', [
      'leads',
      'leads_newest_scope_index',
    ]);
  },
};
