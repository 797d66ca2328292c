import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * The platform's own control plane: platform admins (operators of the SaaS — never tenant identities, so
 * they never get tenant sessions), the identity that signed a tenant up (its owner until roles exist here),
 * custom domains waiting for their DNS TXT check, and plan change requests.
 */
export const platformAdmins: Migration = {
  name: '20261124_040_platform_admins',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('platform_admins', (t) => {
      t.uuid('id').primary();
      t.string('email', 254).notNullable().unique();
      t.string('display_name', 200).notNullable();
      t.string('password_hash', 255).notNullable().comment('argon2id');
      t.enu('status', ['active', 'disabled']).notNullable().defaultTo('active');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('last_sign_in_at', { precision: 3 }).nullable();
    });
    await db.schema.alterTable('tenants', (t) => {
      t.uuid('owner_identity_id')
        .nullable()
        .comment('the identity that signed the tenant up; may change its settings');
    });
    await db.schema.createTable('tenant_domain_claims', (t) => {
      t.string('domain', 253).primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.string('verification_token', 64).notNullable().comment('expected in a DNS TXT record; not a secret');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('verified_at', { precision: 3 }).nullable();
      t.index(['tenant_id']);
    });
    await db.schema.createTable('plan_change_requests', (t) => {
      t.bigIncrements('id');
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.uuid('requested_by').notNullable().comment('identity id');
      t.string('from_plan', 32).notNullable();
      t.string('to_plan', 32).notNullable();
      t.enu('status', ['pending', 'approved', 'rejected']).notNullable().defaultTo('pending');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['tenant_id', 'created_at']);
    });
  },
};
