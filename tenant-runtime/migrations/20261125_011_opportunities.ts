import type { Knex } from 'knex';
import type { Migration } from '@solar/common';
import { addRolePermissions } from './role-permissions.js';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';
const ACTIONS = ['read', 'create', 'update', 'delete', 'assign', 'export'] as const;
const all = (actions: readonly string[], scope: string) => actions.map((a) => `opportunities:${a}:${scope}`);

/** What each built-in role may do with opportunities; `opportunities:manage:all` configures the pipeline. */
export const OPPORTUNITY_PERMISSIONS: Record<string, string[]> = {
  admin: [...all(ACTIONS, 'all'), 'opportunities:manage:all'],
  sales_manager: all(ACTIONS, 'subtree'),
  sales_rep: [
    'opportunities:read:own',
    'opportunities:create:own',
    'opportunities:update:own',
    'opportunities:assign:unit',
  ],
  project_manager: ['opportunities:read:unit'],
  analyst: ['opportunities:read:all', 'opportunities:export:all'],
};

/** The pipeline every tenant starts with; admins rename, reorder and add open stages. */
export const DEFAULT_STAGES = [
  { id: 'qualification', name: 'Qualification', position: 1, probability: 10, kind: 'open' },
  { id: 'site_survey', name: 'Site survey', position: 2, probability: 20, kind: 'open' },
  { id: 'design', name: 'Design', position: 3, probability: 40, kind: 'open' },
  { id: 'proposal', name: 'Proposal', position: 4, probability: 60, kind: 'open' },
  { id: 'negotiation', name: 'Negotiation', position: 5, probability: 80, kind: 'open' },
  { id: 'won', name: 'Won', position: 6, probability: 100, kind: 'won' },
  { id: 'lost', name: 'Lost', position: 7, probability: 0, kind: 'lost' },
] as const;

/**
 * Opportunities, the tenant's pipeline stages and each opportunity's stage history, plus the links a
 * converted lead keeps to what it became. History rows carry their opportunity's owner and unit so the
 * data-access layer scopes them like the opportunity itself.
 */
export const opportunitiesInitial: Migration = {
  name: '20261125_011_opportunities',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('pipeline_stages', (t) => {
      t.string('id', 64).primary();
      t.string('name', 100).notNullable().unique();
      t.smallint('position').unsigned().notNullable();
      t.tinyint('probability').unsigned().notNullable().comment('default win probability, percent');
      t.enu('kind', ['open', 'won', 'lost']).notNullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db('pipeline_stages').insert(DEFAULT_STAGES.map((s) => ({ ...s })));
    await db.schema.createTable('opportunities', (t) => {
      t.specificType('id', ID).primary();
      t.string('name', 200).notNullable();
      t.specificType('account_id', ID).notNullable().references('id').inTable('accounts');
      t.specificType('site_id', ID).nullable().references('id').inTable('sites').onDelete('SET NULL');
      t.specificType('lead_id', ID).nullable().references('id').inTable('leads').onDelete('SET NULL');
      t.string('stage_id', 64).notNullable().references('id').inTable('pipeline_stages');
      t.bigInteger('amount_cents').nullable();
      t.decimal('system_size_kw', 9, 3).nullable();
      t.tinyint('probability').unsigned().notNullable();
      t.date('expected_close_date').nullable();
      t.string('lost_reason', 500).nullable();
      t.timestamp('closed_at', { precision: 3 }).nullable();
      t.specificType('owner_id', ID).nullable();
      t.specificType('unit_id', ID).nullable().references('id').inTable('org_units');
      t.specificType('created_by', ID).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['owner_id', 'id']);
      t.index(['unit_id', 'id']);
      t.index(['stage_id', 'id']);
      t.index(['account_id', 'id']);
      t.index(['lead_id']);
      t.index(['expected_close_date']);
      t.index(['name']);
    });
    await db.schema.createTable('opportunity_stage_history', (t) => {
      t.specificType('id', ID).primary();
      t.specificType('opportunity_id', ID)
        .notNullable()
        .references('id')
        .inTable('opportunities')
        .onDelete('CASCADE');
      t.string('from_stage_id', 64).nullable();
      t.string('to_stage_id', 64).notNullable();
      t.string('reason', 500).nullable();
      t.specificType('changed_by', ID).nullable();
      t.specificType('owner_id', ID).nullable();
      t.specificType('unit_id', ID).nullable().references('id').inTable('org_units');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['opportunity_id', 'id']);
      t.index(['owner_id', 'id']);
      t.index(['unit_id', 'id']);
    });
    await db.schema.alterTable('leads', (t) => {
      t.timestamp('converted_at', { precision: 3 }).nullable();
      t.specificType('converted_account_id', ID)
        .nullable()
        .references('id')
        .inTable('accounts')
        .onDelete('SET NULL');
      t.specificType('converted_opportunity_id', ID)
        .nullable()
        .references('id')
        .inTable('opportunities')
        .onDelete('SET NULL');
    });
    await addRolePermissions(db, OPPORTUNITY_PERMISSIONS);
  },
};
