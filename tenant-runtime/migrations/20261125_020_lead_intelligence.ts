import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Lead intelligence: the facts scoring reads (roof, shading, credit, ownership) and a location for radius
 * territories; the stored score with its explanation; how the lead was assigned and why; a merged-into
 * marker (merged duplicates stay for the record but leave every list). Beside it:
 * - lead_match_keys: normalised email / phone / address per lead, so duplicates are found by index;
 * - lead_assignment_cursors: who got the last lead of each round-robin pool;
 * - tenant_settings: per-tenant JSON settings (scoring and assignment rules), validated by the service.
 */
export const leadIntelligence: Migration = {
  name: '20261125_020_lead_intelligence',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.alterTable('leads', (t) => {
      t.string('roof_type', 20).nullable();
      t.tinyint('roof_age_years').unsigned().nullable();
      t.string('roof_orientation', 12).nullable();
      t.string('shading', 12).nullable();
      t.string('credit_band', 12).nullable();
      t.string('ownership', 12).nullable();
      t.decimal('latitude', 9, 6).nullable();
      t.decimal('longitude', 9, 6).nullable();
      t.tinyint('score').unsigned().nullable();
      t.specificType('grade', 'CHAR(1) CHARACTER SET ascii').nullable();
      t.json('score_explanation').nullable().comment('{score, grade, rawTotal, contributions, missing}');
      t.string('assignment_strategy', 16).nullable().comment('round_robin | load | territory | manual');
      t.string('assignment_reason', 500).nullable();
      t.specificType('merged_into_id', ID).nullable().comment('set when merged into another lead');
      t.index(['merged_into_id'], 'leads_merged_into_id_index');
    });
    await db.schema.createTable('lead_match_keys', (t) => {
      t.specificType('lead_id', ID).notNullable().references('id').inTable('leads').onDelete('CASCADE');
      t.string('kind', 8).notNullable().comment('email | phone | address');
      t.string('value', 255).notNullable();
      t.primary(['lead_id', 'kind', 'value']);
      t.index(['kind', 'value', 'lead_id'], 'lead_match_keys_lookup');
    });
    await db.schema.createTable('lead_assignment_cursors', (t) => {
      t.string('pool', 64).primary().comment('unit id, or * for all reps');
      t.specificType('member_id', ID).notNullable().comment('who got the last lead of the pool');
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db.schema.createTable('tenant_settings', (t) => {
      t.string('key', 64).primary().comment('e.g. leads.scoring, leads.assignment');
      t.json('value').notNullable();
      t.specificType('updated_by', ID).nullable();
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
  },
};
