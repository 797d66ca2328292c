import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * More identity: OAuth2 client-credentials clients for integrators (secret stored as a hash), invitations
 * to join a workspace (token stored as a hash), and TOTP for platform admins.
 */
export const identityMore: Migration = {
  name: '20261124_060_identity_more',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('oauth_clients', (t) => {
      t.uuid('id').primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.uuid('created_by')
        .notNullable()
        .references('identities.id')
        .onDelete('CASCADE')
        .comment('tokens act as this member, limited to their scopes');
      t.string('client_id', 40).notNullable().unique().comment('oc_<24 chars>: public');
      t.string('name', 100).notNullable();
      t.specificType('secret_hash', 'BINARY(32)')
        .notNullable()
        .comment('sha256 of the 32-byte random secret');
      t.json('scopes').notNullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('expires_at', { precision: 3 }).nullable();
      t.timestamp('last_used_at', { precision: 3 }).nullable();
      t.timestamp('revoked_at', { precision: 3 }).nullable();
      t.index(['tenant_id']);
    });
    await db.schema.createTable('tenant_invitations', (t) => {
      t.uuid('id').primary();
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.string('email', 254).notNullable();
      t.string('role_id', 64).notNullable().comment('the runtime role granted on acceptance');
      t.uuid('invited_by').notNullable().references('identities.id').onDelete('CASCADE');
      t.specificType('token_hash', 'BINARY(32)').notNullable().unique().comment('sha256 of the link token');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('expires_at', { precision: 3 }).notNullable();
      t.timestamp('accepted_at', { precision: 3 }).nullable();
      t.uuid('accepted_identity_id').nullable();
      t.timestamp('revoked_at', { precision: 3 }).nullable();
      t.index(['tenant_id', 'created_at']);
    });
    await db.schema.alterTable('platform_admins', (t) => {
      t.text('mfa_secret_sealed')
        .nullable()
        .comment('TOTP secret sealed under the platform key (AAD admin id)');
      t.timestamp('mfa_enabled_at', { precision: 3 }).nullable();
      t.bigInteger('mfa_last_step').nullable().comment('last accepted TOTP step: replays are refused');
    });
  },
};
