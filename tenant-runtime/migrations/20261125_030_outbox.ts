import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * The transactional outbox: services write a domain event in the same transaction as the change it
 * describes; the worker's relay enqueues undispatched rows and consumers deliver them at least once.
 * audit_log gains `event_id` (unique) so an event redelivered to the audit consumer writes nothing twice.
 */
export const outboxInitial: Migration = {
  name: '20261125_030_outbox',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('outbox', (t) => {
      t.specificType('id', ID).primary().comment('UUIDv7: also the BullMQ job id, so enqueueing dedupes');
      t.string('type', 64).notNullable().comment('e.g. lead.created, opportunity.moved');
      t.string('entity_type', 32).notNullable().comment('GraphQL type name, e.g. Lead');
      t.string('entity_id', 128).notNullable();
      t.json('payload').notNullable().comment('entity ref + minimal fields only; never a whole row');
      t.specificType('actor_id', ID).nullable();
      t.string('request_id', 128).nullable();
      t.timestamp('occurred_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('dispatched_at', { precision: 3 }).nullable().comment('enqueued to the worker queue');
      t.timestamp('delivered_at', { precision: 3 }).nullable().comment('every consumer succeeded');
      t.timestamp('dead_at', { precision: 3 }).nullable().comment('gave up after the last attempt');
      t.integer('attempts').unsigned().notNullable().defaultTo(0);
      t.string('last_error', 1000).nullable();
      // the relay's scan: undispatched events, oldest first
      t.index(['dispatched_at', 'id']);
      t.index(['dead_at']);
      t.index(['entity_type', 'entity_id']);
    });
    await db.schema.alterTable('audit_log', (t) => {
      t.specificType('event_id', ID).nullable().comment('outbox event this entry came from');
      t.unique(['event_id'], { indexName: 'audit_log_event_id_unique' });
    });
  },
};
