import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * What a change did to its record, for the audit log: the changed fields before and after (a created record:
 * after only; a deleted one: before only). Written with the event by the data-access layer; read by the
 * worker's audit consumer from here, so field values never travel through the job queue or to webhooks.
 */
export const outboxChanges: Migration = {
  name: '20261201_095_outbox_changes',
  async up(db: Knex) {
    await db.schema.alterTable('outbox', (t) => {
      t.json('changes').nullable().after('payload');
    });
  },
};
