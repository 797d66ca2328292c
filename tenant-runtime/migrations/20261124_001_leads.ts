import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/** Leads: the first CRM entity. Ids are UUIDv7 (time-ordered) so newest-first paging walks the primary key. */
export const leadsInitial: Migration = {
  name: '20261124_001_leads',
  async up(db: Knex) {
    await db.schema.createTable('leads', (t) => {
      t.specificType('id', 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin').primary();
      t.string('first_name', 100).notNullable();
      t.string('last_name', 100).notNullable();
      t.string('email', 254).nullable();
      t.string('phone', 32).nullable();
      t.string('company', 200).nullable();
      t.string('street', 200).nullable();
      t.string('city', 100).nullable();
      t.string('region', 100).nullable().comment('state / province');
      t.string('postal_code', 20).nullable();
      t.string('country', 2).notNullable().defaultTo('US');
      t.string('source', 32).notNullable();
      t.string('status', 32).notNullable().defaultTo('new');
      t.decimal('monthly_bill', 10, 2).nullable().comment('average electricity bill, tenant currency');
      t.text('notes').nullable();
      t.specificType('owner_id', 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin').nullable();
      t.specificType('created_by', 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin').nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['status', 'id']);
      t.index(['owner_id', 'id']);
      t.index(['email']);
    });
  },
};
