import type { Knex } from 'knex';
import type { Migration } from '@solar/common';
import { addRolePermissions } from './role-permissions.js';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';
const CUSTOMER_ACTIONS = ['read', 'create', 'update', 'delete', 'assign', 'export'] as const;
const all = (actions: readonly string[], scope: string) => actions.map((a) => `customers:${a}:${scope}`);

/** What each built-in role may do with customers (frozen here: later changes are new migrations). */
export const CUSTOMER_PERMISSIONS: Record<string, string[]> = {
  admin: all(CUSTOMER_ACTIONS, 'all'),
  sales_manager: all(CUSTOMER_ACTIONS, 'subtree'),
  sales_rep: ['customers:read:own', 'customers:create:own', 'customers:update:own', 'customers:assign:unit'],
  project_manager: ['customers:read:unit', 'customers:update:unit'],
  field_tech: ['customers:read:own'],
  support_agent: ['customers:read:all'],
  analyst: ['customers:read:all', 'customers:export:all'],
};

/**
 * Customers: accounts, their contacts and their sites. Contacts and sites carry their account's owner and
 * unit (kept in step on reassignment) so the data-access layer scopes them like any other row: an account
 * the caller cannot see hides its contacts and sites too, in lists and searches as well as nested fields.
 */
export const customersInitial: Migration = {
  name: '20261125_010_customers',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    const scoped = (t: Knex.CreateTableBuilder) => {
      t.specificType('owner_id', ID).nullable();
      t.specificType('unit_id', ID).nullable().references('id').inTable('org_units');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['owner_id', 'id']);
      t.index(['unit_id', 'id']);
    };
    await db.schema.createTable('accounts', (t) => {
      t.specificType('id', ID).primary();
      t.enu('kind', ['residential', 'commercial']).notNullable();
      t.string('name', 200).notNullable();
      t.string('billing_street', 200).nullable();
      t.string('billing_city', 100).nullable();
      t.string('billing_region', 100).nullable();
      t.string('billing_postal_code', 20).nullable();
      t.string('billing_country', 2).notNullable().defaultTo('US');
      t.specificType('source_lead_id', ID)
        .nullable()
        .references('id')
        .inTable('leads')
        .onDelete('SET NULL')
        .comment('the lead this account was converted from');
      t.specificType('created_by', ID).nullable();
      scoped(t);
      t.index(['name']);
      t.index(['kind', 'id']);
    });
    await db.schema.createTable('contacts', (t) => {
      t.specificType('id', ID).primary();
      t.specificType('account_id', ID).notNullable().references('id').inTable('accounts').onDelete('CASCADE');
      t.string('first_name', 100).notNullable();
      t.string('last_name', 100).notNullable();
      t.string('email', 254).nullable();
      t.string('phone', 32).nullable();
      t.string('title', 100).nullable();
      t.boolean('is_primary').notNullable().defaultTo(false);
      scoped(t);
      t.index(['account_id', 'id']);
      t.index(['email']);
      t.index(['last_name']);
    });
    await db.schema.createTable('sites', (t) => {
      t.specificType('id', ID).primary();
      t.specificType('account_id', ID).notNullable().references('id').inTable('accounts').onDelete('CASCADE');
      t.string('label', 100).notNullable().defaultTo('Main site');
      t.string('street', 200).nullable();
      t.string('city', 100).nullable();
      t.string('region', 100).nullable();
      t.string('postal_code', 20).nullable();
      t.string('country', 2).notNullable().defaultTo('US');
      t.decimal('latitude', 9, 6).nullable();
      t.decimal('longitude', 9, 6).nullable();
      t.string('utility', 200).nullable();
      t.string('meter_number', 64).nullable();
      t.string('roof_type', 32).nullable();
      t.decimal('roof_pitch_deg', 4, 1).nullable();
      t.decimal('roof_azimuth_deg', 4, 1).nullable().comment('0 = north, 180 = south');
      t.enu('shading', ['none', 'light', 'moderate', 'heavy']).nullable();
      t.integer('annual_usage_kwh').unsigned().nullable();
      t.decimal('average_monthly_bill', 10, 2).nullable();
      scoped(t);
      t.index(['account_id', 'id']);
      t.index(['city']);
    });
    await addRolePermissions(db, CUSTOMER_PERMISSIONS);
  },
};
