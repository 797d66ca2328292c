import { listSource, migrate, type Knex, type Migration, type MigrationResult } from '@solar/common';
import { applyBaseline, type SchemaBaseline } from './baseline.js';
import { tenantBaseline } from './baseline-schema.js';
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
import { leadsScopeWalk } from '../../migrations/20261201_070_leads_scope_walk.js';
import { webhooksInitial } from '../../migrations/20261201_080_webhooks.js';
import { leadForms } from '../../migrations/20261201_085_lead_forms.js';
import { taskReminders } from '../../migrations/20261201_090_task_reminders.js';
import { outboxChanges } from '../../migrations/20261201_095_outbox_changes.js';
import { activitySubjects } from '../../migrations/20261202_100_activity_subjects.js';
import { unitClosure } from '../../migrations/20261203_110_unit_closure.js';

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
  leadsScopeWalk,
  webhooksInitial,
  leadForms,
  taskReminders,
  outboxChanges,
  activitySubjects,
  unitClosure,
];

/** knex's record of applied migrations, in every tenant schema */
export const MIGRATIONS_TABLE = 'knex_migrations';

/** The schema version a tenant is on once every migration here has applied. */
export const latestTenantSchemaVersion = tenantMigrations.at(-1)!.name;

/**
 * Applies pending tenant migrations to the schema `db` is connected to (as that tenant's own DB user). A new
 * schema (nothing recorded yet) first gets `baseline` in one go — the schema its migrations produce — and
 * then steps through whatever came after it; a schema already on some version steps through the rest.
 * @param migrations, baseline another list / baseline (tests)
 */
export async function migrateTenant(
  db: Knex,
  migrations: readonly Migration[] = tenantMigrations,
  baseline: SchemaBaseline = tenantBaseline,
): Promise<MigrationResult> {
  const config = { migrationSource: listSource(migrations), tableName: MIGRATIONS_TABLE };
  // creates knex's two tables when missing, as migrate() would
  const [done] = (await db.migrate.list(config)) as [unknown[], unknown];
  const names = migrations.map((m) => m.name);
  const baselineFits = baseline.migrations.every((name, i) => names[i] === name);
  const fresh = done.length === 0 && baselineFits;
  if (fresh) await applyBaseline(db, baseline, MIGRATIONS_TABLE);
  const result = await migrate(db, migrations);
  // what this call brought, whichever way
  return fresh ? { ...result, applied: [...baseline.migrations, ...result.applied] } : result;
}
