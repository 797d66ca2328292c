import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/** Tenant-scoped API keys for integrators: shown once, stored as a hash, found by their visible prefix. */
export const platformApiKeys: Migration = {
  name: '20261124_011_api_keys',
  async up(db: Knex) {
    await db.schema.createTable('api_keys', (t) => {
      t.uuid('id').primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.uuid('created_by')
        .notNullable()
        .references('identities.id')
        .onDelete('CASCADE')
        .comment('the key acts as this member');
      t.string('name', 100).notNullable();
      t.string('prefix', 32)
        .notNullable()
        .unique()
        .comment('sk_live_<8 chars>: shown in lists, used for lookup');
      t.specificType('secret_hash', 'BINARY(32)').notNullable().comment('sha256 of the whole key');
      t.json('scopes').notNullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.timestamp('expires_at', { precision: 3 }).nullable();
      t.timestamp('last_used_at', { precision: 3 }).nullable();
      t.timestamp('revoked_at', { precision: 3 }).nullable();
      t.index(['tenant_id', 'created_by']);
    });
  },
};
