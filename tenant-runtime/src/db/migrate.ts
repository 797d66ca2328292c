import { migrate, type Knex, type Migration, type MigrationResult } from '@solar/common';
import { leadsInitial } from '../../migrations/20261124_001_leads.js';
import { leadsSearchIndexes } from '../../migrations/20261124_002_leads_search.js';
import { accessInitial } from '../../migrations/20261125_003_access.js';
import { leadsUnit } from '../../migrations/20261125_004_leads_unit.js';
import { customersInitial } from '../../migrations/20261125_010_customers.js';
import { opportunitiesInitial } from '../../migrations/20261125_011_opportunities.js';
import { leadIntelligence } from '../../migrations/20261125_020_lead_intelligence.js';
import { outboxInitial } from '../../migrations/20261125_030_outbox.js';
import { activitiesInitial } from '../../migrations/20261125_040_activities.js';
import { proposalsInitial } from '../../migrations/20261125_050_proposals.js';
import { idempotencyKeys } from '../../migrations/20261125_060_idempotency.js';

/** Every tenant migration, oldest first. Forward-only; each tenant records what it has applied. */
export const tenantMigrations: readonly Migration[] = [
  leadsInitial,
  leadsSearchIndexes,
  accessInitial,
  leadsUnit,
  customersInitial,
  opportunitiesInitial,
  leadIntelligence,
  outboxInitial,
  activitiesInitial,
  proposalsInitial,
  idempotencyKeys,
];

/** The schema version a tenant is on once every migration here has applied. */
export const latestTenantSchemaVersion = tenantMigrations.at(-1)!.name;

/** Applies pending tenant migrations to the schema `db` is connected to (as that tenant's own DB user). */
export async function migrateTenant(db: Knex): Promise<MigrationResult> {
  return migrate(db, tenantMigrations);
}
