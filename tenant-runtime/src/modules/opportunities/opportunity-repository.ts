import type { Knex } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { prefixPattern } from '../customers/customer-repository.js';
import { sortedPage, type SortKey } from '../customers/sorted-page.js';
import type { Opportunity, StageChange } from './opportunity-schema.js';
import { opportunitiesTable, stageHistoryTable } from './opportunity-tables.js';
import { countOnDemand } from '../../engine/graphql/connection.js';

const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
const dateOnly = (v: unknown) =>
  v === null || v === undefined
    ? null
    : v instanceof Date
      ? v.toISOString().slice(0, 10)
      : String(v).slice(0, 10);

export function toOpportunity(row: Row): Opportunity {
  return {
    id: String(row['id']),
    name: String(row['name']),
    accountId: String(row['account_id']),
    siteId: text(row['site_id']),
    leadId: text(row['lead_id']),
    stageId: String(row['stage_id']),
    amount: row['amount_cents'] === null ? null : Number(row['amount_cents']) / 100,
    systemSizeKw: row['system_size_kw'] === null ? null : Number(row['system_size_kw']),
    probability: Number(row['probability']),
    expectedCloseDate: dateOnly(row['expected_close_date']),
    lostReason: text(row['lost_reason']),
    closedAt: (row['closed_at'] as Date | null) ?? null,
    ownerId: text(row['owner_id']),
    unitId: text(row['unit_id']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

export interface OpportunityFilterQuery {
  stageIds?: string[];
  ownerIds?: string[];
  accountId?: string;
  closingBefore?: string;
  closingAfter?: string;
  /** true: only open stages; false: only won/lost */
  openStageIds?: string[] | undefined;
  closedStageIds?: string[] | undefined;
  search?: string;
}

export const whereOf = (f: OpportunityFilterQuery) => (qb: Knex.QueryBuilder) => {
  const t = opportunitiesTable.name;
  if (f.stageIds?.length) qb.whereIn(`${t}.stage_id`, f.stageIds);
  if (f.openStageIds) qb.whereIn(`${t}.stage_id`, f.openStageIds);
  if (f.closedStageIds) qb.whereIn(`${t}.stage_id`, f.closedStageIds);
  if (f.ownerIds?.length) qb.whereIn(`${t}.owner_id`, f.ownerIds);
  if (f.accountId) qb.where(`${t}.account_id`, f.accountId);
  if (f.closingBefore) qb.where(`${t}.expected_close_date`, '<', f.closingBefore);
  if (f.closingAfter) qb.where(`${t}.expected_close_date`, '>=', f.closingAfter);
  if (f.search) qb.whereRaw(`${t}.name LIKE ? ESCAPE ?`, [prefixPattern(f.search), '!']);
};

/** Sort keys never NULL (cursors need a value): undated closes sort last ascending, unpriced as -1. */
const SORTS = {
  created_at: 'opportunities.id',
  expected_close: 'COALESCE(TO_DAYS(opportunities.expected_close_date), 9999999)',
  amount: 'COALESCE(opportunities.amount_cents, -1)',
  name: 'opportunities.name',
} as const;

/** Opportunities and their stage history, always through the data-access layer. */
export function opportunityRepository(data: DataAccess) {
  return {
    async insert(row: Row): Promise<Opportunity> {
      await data.insert(opportunitiesTable, row);
      const stored = await data.findById(opportunitiesTable, String(row['id']));
      if (!stored) throw new Error('opportunity vanished right after insert');
      return toOpportunity(stored);
    },

    async update(id: string, patch: Row, action: 'update' | 'assign' = 'update'): Promise<Opportunity> {
      return toOpportunity(
        await data.update(opportunitiesTable, id, { ...patch, updated_at: new Date() }, action),
      );
    },

    /** Records a stage change beside (and as visible as) its opportunity. */
    async recordStageChange(
      opp: Opportunity,
      change: { from: string | null; to: string; reason: string | null; by: string | null },
    ): Promise<void> {
      await data.insert(stageHistoryTable, {
        id: uuidv7(),
        opportunity_id: opp.id,
        from_stage_id: change.from,
        to_stage_id: change.to,
        reason: change.reason,
        changed_by: change.by,
        owner_id: opp.ownerId,
        unit_id: opp.unitId,
      });
    },

    /** After a reassignment the history follows its opportunity (the same assign scope reached it). */
    async moveHistory(opp: Opportunity): Promise<void> {
      await data
        .select(stageHistoryTable, 'assign')
        .where(`${stageHistoryTable.name}.opportunity_id`, opp.id)
        .update({ owner_id: opp.ownerId, unit_id: opp.unitId });
    },

    async findById(id: string): Promise<Opportunity | null> {
      const row = await data.findById(opportunitiesTable, id);
      return row ? toOpportunity(row) : null;
    },

    async historyOf(opportunityIds: readonly string[]): Promise<StageChange[]> {
      const rows = (await data
        .select(stageHistoryTable)
        .whereIn(`${stageHistoryTable.name}.opportunity_id`, [...opportunityIds])
        .orderBy(`${stageHistoryTable.name}.id`, 'asc')) as Row[];
      return rows.map((r) => ({
        id: String(r['id']),
        opportunityId: String(r['opportunity_id']),
        fromStageId: text(r['from_stage_id']),
        toStageId: String(r['to_stage_id']),
        reason: text(r['reason']),
        changedBy: text(r['changed_by']),
        changedAt: r['created_at'] as Date,
      }));
    },

    async list(q: {
      first: number;
      after?: string | null;
      filter: OpportunityFilterQuery;
      sort: { field: keyof typeof SORTS; direction: 'asc' | 'desc' } | null;
    }) {
      const where = whereOf(q.filter);
      const sort: SortKey | null =
        !q.sort || (q.sort.field === 'created_at' && q.sort.direction === 'desc')
          ? null
          : { expression: SORTS[q.sort.field], direction: q.sort.direction };
      const page = await sortedPage(data, opportunitiesTable, {
        first: q.first,
        after: q.after ?? null,
        where,
        sort,
      });
      return {
        opportunities: page.rows.map(toOpportunity),
        cursors: page.cursors,
        hasNextPage: page.hasNextPage,
        totalCount: countOnDemand(() => data.count(opportunitiesTable, where)),
      };
    },

    /** Count, value and probability-weighted value per stage, over the opportunities the caller can read. */
    async totalsByStage(
      where: (qb: Knex.QueryBuilder) => void,
    ): Promise<Map<string, { count: number; valueCents: number; weightedCents: number }>> {
      const qb = data.select(opportunitiesTable);
      where(qb);
      const t = opportunitiesTable.name;
      const rows = (await qb
        .select(`${t}.stage_id as stage_id`)
        .count({ n: '*' })
        .sum({ value: `${t}.amount_cents` })
        .select(
          qb.client.raw(
            `SUM(COALESCE(${t}.amount_cents, 0) * ${t}.probability / 100) AS weighted`,
          ) as Knex.Raw,
        )
        .groupBy(`${t}.stage_id`)) as Array<{
        stage_id: string;
        n: number | string;
        value: unknown;
        weighted: unknown;
      }>;
      return new Map(
        rows.map((r) => [
          r.stage_id,
          {
            count: Number(r.n),
            valueCents: Number(r.value ?? 0),
            weightedCents: Math.round(Number(r.weighted ?? 0)),
          },
        ]),
      );
    },
  };
}
export type OpportunityRepository = ReturnType<typeof opportunityRepository>;
