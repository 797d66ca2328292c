import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/**
 * Activities (calls, emails, meetings, notes, tasks) on a lead, account or opportunity. They carry no owner
 * or unit of their own: they are exactly as visible as their subject, which the activities module checks
 * through the data-access layer. Subjects gain `last_activity_at`, kept up to date on every write, so lists
 * can show "last activity" without reading activities.
 */
export const activitiesInitial: Migration = {
  name: '20261125_040_activities',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('activities', (t) => {
      t.specificType('id', ID).primary().comment('UUIDv7: id order is logging order');
      t.enu('kind', ['call', 'email', 'meeting', 'note', 'task']).notNullable();
      t.enu('subject_type', ['lead', 'account', 'opportunity']).notNullable();
      t.specificType('subject_id', ID).notNullable();
      t.string('title', 200).nullable().comment('email subject, meeting or task title');
      t.text('body').nullable();
      t.enu('call_outcome', ['connected', 'no_answer', 'left_voicemail', 'busy', 'wrong_number']).nullable();
      t.integer('duration_seconds').unsigned().nullable();
      t.enu('email_direction', ['inbound', 'outbound']).nullable();
      t.timestamp('starts_at', { precision: 3 }).nullable();
      t.timestamp('ends_at', { precision: 3 }).nullable();
      t.timestamp('due_at', { precision: 3 }).nullable();
      t.timestamp('reminder_at', { precision: 3 }).nullable();
      t.specificType('assignee_id', ID).nullable();
      t.timestamp('completed_at', { precision: 3 }).nullable();
      t.specificType('completed_by', ID).nullable();
      t.specificType('created_by', ID).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      // a record's timeline, newest first
      t.index(['subject_type', 'subject_id', 'id']);
      // a member's open tasks by due date
      t.index(['assignee_id', 'completed_at', 'due_at']);
    });
    for (const table of ['leads', 'accounts', 'opportunities'])
      await db.schema.alterTable(table, (t) => {
        t.timestamp('last_activity_at', { precision: 3 }).nullable();
      });
  },
};
