import { defineTable } from '../../engine/data/table.js';

/** Opportunities are row-scoped by `opportunities:<action>:<scope>` on their owner and unit. */
export const opportunitiesTable = defineTable({
  name: 'opportunities',
  resource: 'opportunities',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
  unitClosure: 'opportunities_in_units',
});

/** Stage history rows carry their opportunity's owner and unit, so they are exactly as visible as it is. */
export const stageHistoryTable = defineTable({
  name: 'opportunity_stage_history',
  resource: 'opportunities',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
});

/** The tenant's pipeline configuration: not row-scoped (everyone sees the stages); admins change it. */
export const PIPELINE_STAGES = 'pipeline_stages';
