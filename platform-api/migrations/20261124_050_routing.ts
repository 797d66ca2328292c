import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * Routing settings a tenant owner manages: browser origins allowed to call the tenant's API (CORS), and
 * custom-domain claims that several tenants may hold at once until one proves the domain by DNS — so the
 * claim's key becomes (domain, tenant), and each claim remembers its last DNS check.
 */
export const routing: Migration = {
  name: '20261124_050_routing',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('tenant_cors_origins', (t) => {
      t.string('tenant_id', 20).notNullable().references('tenants.id').onDelete('CASCADE');
      t.string('origin', 300).notNullable().comment('scheme://host[:port], lower-case, no path');
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.primary(['tenant_id', 'origin']);
    });
    await db.raw('ALTER TABLE tenant_domain_claims DROP PRIMARY KEY, ADD PRIMARY KEY (domain, tenant_id)');
    await db.schema.alterTable('tenant_domain_claims', (t) => {
      t.timestamp('last_checked_at', { precision: 3 }).nullable();
      t.string('last_check_error', 300).nullable().comment('why the last DNS check did not verify it');
    });
  },
};
