import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Leads get an owning org unit besides their owner, so row scope can say "my team" or "my branch".
 * (unit_id, id) lets a unit-scoped newest-first page walk one index; the FK keeps a unit with leads
 * from being deleted.
 */
export const leadsUnit: Migration = {
  name: '20261125_004_leads_unit',
  async up(db: Knex) {
    await db.schema.alterTable('leads', (t) => {
      t.specificType('unit_id', 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin')
        .nullable()
        .after('owner_id')
        .references('id')
        .inTable('org_units');
      t.index(['unit_id', 'id'], 'leads_unit_id_id_index');
    });
  },
};
