import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Idempotency keys for REST POSTs, per member (the tenant is the schema itself): the first answer is kept so
 * a retried POST gets it back instead of creating the thing twice.
 */
export const idempotencyKeys: Migration = {
  name: '20261125_060_idempotency',
  async up(db: Knex) {
    await db.schema.createTable('idempotency_keys', (t) => {
      t.specificType('member_id', 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin').notNullable();
      t.string('idem_key', 255).notNullable();
      t.string('operation', 128).notNullable().comment('operationId the key was first used for');
      t.specificType('request_hash', 'CHAR(64) CHARACTER SET ascii').notNullable();
      t.smallint('status_code').unsigned().nullable().comment('null while the first request is running');
      t.json('response').nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(db.raw('CURRENT_TIMESTAMP(3)'));
      t.primary(['member_id', 'idem_key']);
      t.index(['created_at']);
    });
  },
};
