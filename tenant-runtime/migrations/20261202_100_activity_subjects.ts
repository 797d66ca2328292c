import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Activities on any record a rep works: besides leads, accounts and opportunities, an account's contacts and
 * sites and an opportunity's proposal versions. Widening the enum keeps every stored value (MODIFY only
 * appends members), so the change is in place.
 */
export const activitySubjects: Migration = {
  name: '20261202_100_activity_subjects',
  async up(db: Knex) {
    await db.raw(
      "ALTER TABLE activities MODIFY subject_type ENUM('lead','account','opportunity','contact','site','proposal') NOT NULL",
    );
  },
};
