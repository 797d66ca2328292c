import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * The platform schema: the tenant registry (desired spec + observed status + routing entry),
 * tenant domains, staff identities and their sessions. No tenant DB user can read any of it.
 */
export const platformInitial: Migration = {
  name: '20261124_001_platform',
  async up(db: Knex) {
    await db.schema.createTable('tenants', (t) => {
      t.string('id', 20).primary().comment('short random id; schema and DB user are t_<id>');
      t.string('slug', 63).notNullable().unique().comment('subdomain: <slug>.<base-domain>');
      t.string('display_name', 200).notNullable();
      t.string('plan', 32).notNullable().defaultTo('starter');
      t.enu('isolation', ['pooled', 'dedicated']).notNullable().defaultTo('pooled');
      t.string('runtime_version', 64).notNullable().defaultTo('dev');
      t.boolean('suspended').notNullable().defaultTo(false);
      t.enu('deletion_policy', ['Retain', 'Snapshot', 'Delete']).notNullable().defaultTo('Retain');
      t.integer('generation').unsigned().notNullable().defaultTo(1).comment('bumped on every spec change');
      // observed status, written by the operator
      t.string('phase', 32).notNullable().defaultTo('Pending');
      t.integer('observed_generation').unsigned().notNullable().defaultTo(0);
      t.json('conditions').nullable();
      t.string('db_schema', 64).nullable();
      t.string('db_user', 64).nullable();
      t.text('db_password_sealed').nullable().comment('AES-256-GCM under the platform key');
      t.string('schema_version', 128).nullable();
      t.string('endpoint', 255).nullable().comment('runtime base URL platform-api forwards to');
      t.text('last_error').nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('deleted_at', { precision: 3 }).nullable();
    });
    await db.schema.createTable('tenant_domains', (t) => {
      t.string('domain', 253).primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.boolean('verified').notNullable().defaultTo(false);
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.index(['tenant_id']);
    });
    await db.schema.createTable('identities', (t) => {
      t.uuid('id').primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.string('email', 254).notNullable();
      t.string('display_name', 200).notNullable();
      t.string('password_hash', 255).nullable().comment('argon2id; null for SSO-only members');
      t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.unique(['tenant_id', 'email']);
    });
    await db.schema.createTable('sessions', (t) => {
      t.uuid('id').primary();
      t.uuid('identity_id').notNullable().references('identities.id').onDelete('CASCADE');
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.specificType('token_hash', 'BINARY(32)').notNullable().unique().comment('sha256 of the cookie token');
      t.string('user_agent', 255).nullable();
      t.string('ip', 64).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('last_seen_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('expires_at', { precision: 3 }).notNullable();
      t.timestamp('revoked_at', { precision: 3 }).nullable();
      t.index(['identity_id']);
    });
  },
};
