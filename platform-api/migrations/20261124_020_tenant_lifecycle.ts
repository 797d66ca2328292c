import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

/**
 * What the tenant lifecycle needs beyond the first registry shape: the whole desired spec (so fields without a
 * column — replicas, sso, quotas, preventDeletion — round-trip), the two suspension stages, a deletion request
 * (the local stand-in for Kubernetes' deletionTimestamp) and a second sealed password for rotation without
 * downtime. The existing columns stay the ones platform-api and the runtime read.
 */
export const tenantLifecycle: Migration = {
  name: '20261124_020_tenant_lifecycle',
  async up(db: Knex) {
    await db.schema.alterTable('tenants', (t) => {
      t.json('spec')
        .nullable()
        .comment('the whole TenantSpec as last applied (minus slug/domains); null on rows signup wrote');
      t.enu('suspend_mode', ['ReadOnly', 'Blocked'])
        .notNullable()
        .defaultTo('ReadOnly')
        .comment('while suspended: ReadOnly answers writes 423, Blocked answers everything 403');
      t.timestamp('deletion_requested_at', { precision: 3 })
        .nullable()
        .comment('set by delete(); the operator then runs deletion_policy and sets deleted_at');
      t.text('db_password_next_sealed')
        .nullable()
        .comment('rotation: the new password, staged before the DB user accepts it');
      t.timestamp('db_password_rotated_at', { precision: 3 })
        .nullable()
        .comment('rotation: when the new password was promoted; the old one is dropped after a grace period');
    });
  },
};
