import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Identity protection: TOTP MFA (sealed secret, replay guard, hashed recovery codes, sign-in challenges),
 * the tenant's "MFA required" setting, session stages and refresh-token families for API clients, and the
 * security audit log.
 */
export const platformIdentitySecurity: Migration = {
  name: '20261124_010_identity_security',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.alterTable('tenants', (t) => {
      t.boolean('mfa_required')
        .notNullable()
        .defaultTo(false)
        .comment('tenant setting: every member needs TOTP');
    });
    await db.schema.alterTable('identities', (t) => {
      t.text('mfa_secret_sealed')
        .nullable()
        .comment('TOTP secret, sealed under the platform key (AAD identity id)');
      t.timestamp('mfa_enabled_at', { precision: 3 }).nullable().comment('null while enrolment is pending');
      t.bigInteger('mfa_last_step')
        .nullable()
        .comment('last accepted TOTP time step: codes at or before it are replays');
    });
    await db.schema.createTable('mfa_recovery_codes', (t) => {
      t.bigIncrements('id');
      t.uuid('identity_id').notNullable().references('identities.id').onDelete('CASCADE');
      t.specificType('code_hash', 'BINARY(32)').notNullable().unique();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('used_at', { precision: 3 }).nullable();
      t.index(['identity_id']);
    });
    await db.schema.createTable('mfa_challenges', (t) => {
      t.uuid('id').primary();
      t.uuid('identity_id').notNullable().references('identities.id').onDelete('CASCADE');
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.specificType('token_hash', 'BINARY(32)').notNullable().unique();
      t.integer('failed_attempts').unsigned().notNullable().defaultTo(0);
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('expires_at', { precision: 3 }).notNullable();
      t.timestamp('used_at', { precision: 3 }).nullable();
    });
    await db.schema.alterTable('sessions', (t) => {
      t.enu('stage', ['full', 'mfa_enrollment'])
        .notNullable()
        .defaultTo('full')
        .comment('mfa_enrollment: may only reach the enrolment endpoints');
      t.enu('mode', ['cookie', 'bearer']).notNullable().defaultTo('cookie');
    });
    await db.schema.createTable('refresh_tokens', (t) => {
      t.uuid('id').primary();
      t.uuid('session_id')
        .notNullable()
        .references('sessions.id')
        .onDelete('CASCADE')
        .comment('the token family');
      t.specificType('token_hash', 'BINARY(32)').notNullable().unique();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('used_at', { precision: 3 })
        .nullable()
        .comment('set on rotation; presenting it again is reuse');
      t.index(['session_id']);
    });
    await db.schema.createTable('security_events', (t) => {
      t.bigIncrements('id');
      t.string('tenant_id', 20).nullable();
      t.uuid('identity_id').nullable();
      t.string('type', 64).notNullable();
      t.string('ip', 64).nullable();
      t.string('user_agent', 255).nullable();
      t.string('request_id', 128).nullable();
      t.json('details').nullable().comment('never secrets');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['identity_id', 'id']);
      t.index(['tenant_id', 'created_at']);
    });
  },
};
