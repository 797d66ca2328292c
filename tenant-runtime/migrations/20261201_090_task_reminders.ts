import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * When a task's reminder went out (mail to the assignee, activity.reminder_due event). Null until then, and
 * again when the reminder time changes, so a moved reminder fires once more and a sent one never twice.
 */
export const taskReminders: Migration = {
  name: '20261201_090_task_reminders',
  async up(db: Knex) {
    await db.schema.alterTable('activities', (t) => {
      t.timestamp('reminder_sent_at', { precision: 3 }).nullable().after('reminder_at');
    });
  },
};
