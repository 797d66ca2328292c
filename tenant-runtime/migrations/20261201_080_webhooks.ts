import type { Knex } from 'knex';
import type { Migration } from '@solar/common';
import { addRolePermissions } from './role-permissions.js';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Outbound webhooks: endpoints a tenant admin registers (each acting as the member who created it), one
 * delivery per (webhook, event) — the unique key makes a redelivered outbox event change nothing — and
 * every HTTP attempt of a delivery. Admins get `webhooks:manage:all`.
 */
export const webhooksInitial: Migration = {
  name: '20261201_080_webhooks',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('webhooks', (t) => {
      t.specificType('id', ID).primary();
      t.string('url', 2048).notNullable();
      t.json('events').notNullable().comment('event type patterns: lead.created, lead.*, *');
      t.string('description', 500).notNullable().defaultTo('');
      t.string('secret_sealed', 512).notNullable().comment('signing secret, sealed with the platform key');
      t.string('status', 16).notNullable().defaultTo('active').comment('active | paused');
      t.string('paused_reason', 200).nullable();
      t.specificType('created_by', ID).notNullable().comment('the member the webhook reads as');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
    });
    await db.schema.createTable('webhook_deliveries', (t) => {
      t.specificType('id', ID).primary();
      t.specificType('webhook_id', ID).notNullable().references('id').inTable('webhooks').onDelete('CASCADE');
      t.specificType('event_id', ID).notNullable().comment('outbox event');
      t.string('event_type', 64).notNullable();
      t.string('status', 16)
        .notNullable()
        .defaultTo('pending')
        .comment('pending | retrying | succeeded | failed | skipped | paused');
      t.integer('attempts').unsigned().notNullable().defaultTo(0);
      t.smallint('response_status').unsigned().nullable();
      t.string('last_error', 1000).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('delivered_at', { precision: 3 }).nullable();
      t.unique(['webhook_id', 'event_id'], { indexName: 'webhook_deliveries_once' });
      // recent deliveries of a webhook, newest first (ids are UUIDv7)
      t.index(['webhook_id', 'id']);
    });
    await db.schema.createTable('webhook_attempts', (t) => {
      t.bigIncrements('id');
      t.specificType('delivery_id', ID)
        .notNullable()
        .references('id')
        .inTable('webhook_deliveries')
        .onDelete('CASCADE');
      t.integer('attempt').unsigned().notNullable();
      t.smallint('response_status').unsigned().nullable();
      t.string('error', 1000).nullable();
      t.integer('duration_ms').unsigned().notNullable();
      t.timestamp('attempted_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['delivery_id', 'attempt']);
    });
    await addRolePermissions(db, { admin: ['webhooks:manage:all'] });
  },
};
