import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Lead search matches name, email, phone and city by prefix (LIKE 'term%'); each needs its own index so
 * MySQL can range-scan instead of reading every row. Email already has one.
 */
export const leadsSearchIndexes: Migration = {
  name: '20261124_002_leads_search',
  async up(db: Knex) {
    await db.schema.alterTable('leads', (t) => {
      t.index(['last_name'], 'leads_last_name_index');
      t.index(['first_name'], 'leads_first_name_index');
      t.index(['phone'], 'leads_phone_index');
      t.index(['city'], 'leads_city_index');
    });
  },
};
