import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Lead forms: web forms installers embed on their own sites. A form is found by its public key, of which
 * only a SHA-256 hash is stored (the key is shown once, when created or rotated). Submissions per form and
 * UTC day are counted for the daily cap.
 */
export const leadForms: Migration = {
  name: '20261201_085_lead_forms',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('lead_forms', (t) => {
      t.specificType('id', ID).primary();
      t.string('name', 100).notNullable();
      t.specificType('key_hash', 'CHAR(64) CHARACTER SET ascii COLLATE ascii_bin')
        .notNullable()
        .unique()
        .comment('sha256 hex of the public form key');
      t.string('key_prefix', 16).notNullable().comment('first characters of the key, to recognise it');
      t.string('default_source', 32).notNullable();
      t.specificType('owner_id', ID).nullable().comment('every lead to this member; null: assignment rules');
      t.json('allowed_origins').notNullable();
      t.json('fields').notNullable().comment('lead fields the form sends, besides first and last name');
      t.json('required_fields').notNullable();
      t.integer('min_fill_seconds').unsigned().notNullable().defaultTo(3);
      t.integer('daily_cap').unsigned().notNullable().defaultTo(500);
      t.boolean('enabled').notNullable().defaultTo(true);
      t.specificType('created_by', ID).notNullable().comment('the member submissions act for');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db.schema.createTable('lead_form_days', (t) => {
      t.specificType('form_id', ID).notNullable();
      t.date('day').notNullable();
      t.integer('submissions').unsigned().notNullable().defaultTo(0);
      t.primary(['form_id', 'day']);
    });
  },
};
