import { Conflict, NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import type { Connection } from '../../engine/graphql/connection.js';
import { UUID } from '../../engine/validation/fields.js';
import { customerRepository } from '../customers/customer-repository.js';
import { toSortedConnection } from '../customers/sorted-page.js';
import { leadRepository } from '../leads/lead-repository.js';
import {
  createOpportunityInputSchema,
  listOpportunitiesArgsSchema,
  lostReasonSchema,
  opportunityFilterSchema,
  updateOpportunityInputSchema,
  type Opportunity,
  type OpportunityFilter,
  type PipelineStage,
} from './opportunity-schema.js';
import { opportunityRepository, whereOf, type OpportunityFilterQuery } from './opportunity-repository.js';
import { loadStages, stagesOf } from './pipeline-stages.js';

/** Opportunity use cases. Input is validated here (zod) before anything is written; resolvers only translate. */

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

/** The first open stage: where new and converted opportunities start. */
export function firstOpenStage(stages: PipelineStage[]): PipelineStage {
  const first = stages.find((s) => s.kind === 'open');
  if (!first) throw new Error('the pipeline has no open stage');
  return first;
}

/**
 * Inserts an opportunity row (inside the caller's transaction) and its first history entry. Shared by
 * createOpportunity and lead conversion. Owner and unit default to the caller and their team.
 */
export async function insertOpportunity(
  data: DataAccess,
  o: {
    name: string;
    accountId: string;
    siteId: string | null;
    leadId: string | null;
    stage: PipelineStage;
    amountCents: number | null;
    systemSizeKw: number | null;
    probability: number | null;
    expectedCloseDate: string | null;
    ownerId: string | null;
    unitId?: string | null;
    createdBy: string | null;
  },
): Promise<Opportunity> {
  const repo = opportunityRepository(data);
  const opp = await repo.insert({
    id: uuidv7(),
    name: o.name,
    account_id: o.accountId,
    site_id: o.siteId,
    lead_id: o.leadId,
    stage_id: o.stage.id,
    amount_cents: o.amountCents,
    system_size_kw: o.systemSizeKw,
    probability: o.probability ?? o.stage.probability,
    expected_close_date: o.expectedCloseDate,
    owner_id: o.ownerId,
    ...(o.unitId !== undefined ? { unit_id: o.unitId } : {}),
    created_by: o.createdBy,
  });
  await repo.recordStageChange(opp, { from: null, to: o.stage.id, reason: null, by: o.createdBy });
  return opp;
}

export async function createOpportunity(rc: RequestContext, raw: unknown): Promise<Opportunity> {
  const input = parse(createOpportunityInputSchema, raw, ['input']);
  const stages = await stagesOf(rc);
  const stage = input.stageId ? stages.find((s) => s.id === input.stageId) : firstOpenStage(stages);
  if (!stage) throw new ValidationFailed({ 'input.stageId': ['No such stage'] });
  if (stage.kind !== 'open')
    throw new ValidationFailed({ 'input.stageId': ['Start in an open stage; then mark it won or lost'] });
  const opp = await rc.data.transaction(async (data) => {
    const customers = customerRepository(data);
    // the account (and site, lead) must be visible to the caller: hidden ones look like missing ones
    if (!(await customers.findAccount(input.accountId)))
      throw new ValidationFailed({ 'input.accountId': ['No such account'] });
    if (input.siteId) {
      const site = await customers.findSite(input.siteId);
      if (!site || site.accountId !== input.accountId)
        throw new ValidationFailed({ 'input.siteId': ['No such site on that account'] });
    }
    if (input.leadId && !(await leadRepository(data).findById(input.leadId)))
      throw new ValidationFailed({ 'input.leadId': ['No such lead'] });
    const created = await insertOpportunity(data, {
      name: input.name,
      accountId: input.accountId,
      siteId: input.siteId ?? null,
      leadId: input.leadId ?? null,
      stage,
      amountCents: input.amount ?? null,
      systemSizeKw: input.systemSizeKw ?? null,
      probability: input.probability ?? null,
      expectedCloseDate: input.expectedCloseDate ?? null,
      ownerId: rc.actor.memberId,
      createdBy: rc.actor.memberId,
    });
    await recordEvent(data, originOf(rc), {
      type: 'opportunity.created',
      entityType: 'Opportunity',
      entityId: created.id,
      payload: { stageId: created.stageId, accountId: input.accountId },
    });
    return created;
  });
  rc.log.info({ opportunityId: opp.id }, 'opportunity created');
  return opp;
}

/** null when the opportunity does not exist or is outside the caller's scope. */
export async function getOpportunity(rc: RequestContext, id: string): Promise<Opportunity | null> {
  return UUID.test(id) ? opportunityRepository(rc.data).findById(id) : null;
}

async function filterQuery(rc: RequestContext, filter: OpportunityFilter): Promise<OpportunityFilterQuery> {
  const q: OpportunityFilterQuery = {
    ...(filter?.stageId ? { stageIds: filter.stageId } : {}),
    ...(filter?.ownerId ? { ownerIds: filter.ownerId } : {}),
    ...(filter?.accountId ? { accountId: filter.accountId } : {}),
    ...(filter?.closingBefore ? { closingBefore: filter.closingBefore } : {}),
    ...(filter?.closingAfter ? { closingAfter: filter.closingAfter } : {}),
    ...(filter?.search ? { search: filter.search } : {}),
  };
  if (filter?.open != null) {
    const stages = await stagesOf(rc);
    const ids = stages.filter((s) => (s.kind === 'open') === filter.open).map((s) => s.id);
    if (filter.open) q.openStageIds = ids;
    else q.closedStageIds = ids;
  }
  return q;
}

export async function listOpportunities(rc: RequestContext, raw: unknown): Promise<Connection<Opportunity>> {
  const { first, after, filter, sort } = parse(listOpportunitiesArgsSchema, raw, []);
  const page = await opportunityRepository(rc.data).list({
    first,
    after: after ?? null,
    filter: await filterQuery(rc, filter),
    sort: sort ?? null,
  });
  return toSortedConnection(page.opportunities, { ...page, after });
}

/** Edits fields, and hands the opportunity over when ownerId/unitId are given (assign scope). */
export async function updateOpportunity(rc: RequestContext, id: string, raw: unknown): Promise<Opportunity> {
  const input = parse(updateOpportunityInputSchema, raw, ['input']);
  if (!UUID.test(id)) throw new NotFound('No such opportunity');
  if (input.unitId && !(await rc.data.unscoped('org_units').where({ id: input.unitId }).first('id')))
    throw new ValidationFailed({ 'input.unitId': ['No such org unit'] });
  const opp = await rc.data.transaction(async (data) => {
    const repo = opportunityRepository(data);
    const patch: Row = {};
    if (input.name !== undefined) patch['name'] = input.name;
    if (input.amount !== undefined) patch['amount_cents'] = input.amount;
    if (input.systemSizeKw !== undefined) patch['system_size_kw'] = input.systemSizeKw;
    if (input.probability !== undefined) patch['probability'] = input.probability;
    if (input.expectedCloseDate !== undefined) patch['expected_close_date'] = input.expectedCloseDate;
    if (input.siteId !== undefined) {
      const current = await repo.findById(id);
      if (!current) throw new NotFound('No such opportunity');
      const site = input.siteId ? await customerRepository(data).findSite(input.siteId) : null;
      if (input.siteId && (!site || site.accountId !== current.accountId))
        throw new ValidationFailed({ 'input.siteId': ['No such site on this opportunity’s account'] });
      patch['site_id'] = input.siteId;
    }
    let opp = Object.keys(patch).length ? await repo.update(id, patch) : null;
    if (input.ownerId !== undefined || input.unitId !== undefined) {
      opp = await repo.update(
        id,
        {
          ...(input.ownerId !== undefined ? { owner_id: input.ownerId } : {}),
          ...(input.unitId !== undefined ? { unit_id: input.unitId } : {}),
        },
        'assign',
      );
      await repo.moveHistory(opp);
    }
    if (opp)
      await recordEvent(data, originOf(rc), {
        type:
          input.ownerId !== undefined || input.unitId !== undefined
            ? 'opportunity.assigned'
            : 'opportunity.updated',
        entityType: 'Opportunity',
        entityId: id,
        payload: { ownerId: opp.ownerId },
      });
    return opp!;
  });
  rc.log.info({ opportunityId: id }, 'opportunity updated');
  return opp;
}

/**
 * Moves an opportunity to a stage and records it in the history. The probability becomes the stage's;
 * won and lost are terminal (moving a closed opportunity → CONFLICT) and lost needs a reason.
 */
export async function moveOpportunity(
  rc: RequestContext,
  id: string,
  stageId: string,
  rawReason?: unknown,
): Promise<Opportunity> {
  if (!UUID.test(id)) throw new NotFound('No such opportunity');
  const opp = await rc.data.transaction(async (data) => {
    const stages = await loadStages(data);
    const target = stages.find((s) => s.id === stageId);
    if (!target) throw new ValidationFailed({ stageId: ['No such stage'] });
    const reason = target.kind === 'lost' ? parse(lostReasonSchema, rawReason ?? '', ['reason']) : null;
    const repo = opportunityRepository(data);
    // locks the row and checks the update right (hidden → NOT_FOUND, not the caller's → FORBIDDEN)
    const current = await repo.update(id, {});
    const from = stages.find((s) => s.id === current.stageId);
    if (from && from.kind !== 'open')
      throw new Conflict(`This opportunity is already ${from.kind}; closed opportunities stay closed`);
    if (current.stageId === target.id) return current;
    const moved = await repo.update(id, {
      stage_id: target.id,
      probability: target.probability,
      lost_reason: reason,
      closed_at: target.kind === 'open' ? null : new Date(),
    });
    await repo.recordStageChange(moved, {
      from: current.stageId,
      to: target.id,
      reason,
      by: rc.actor.memberId,
    });
    await recordEvent(data, originOf(rc), {
      type: 'opportunity.moved',
      entityType: 'Opportunity',
      entityId: id,
      payload: { from: current.stageId, to: target.id },
    });
    return moved;
  });
  rc.log.info({ opportunityId: id, stageId }, 'opportunity moved');
  return opp;
}

const terminalStage = async (rc: RequestContext, kind: 'won' | 'lost') => {
  const stage = (await stagesOf(rc)).find((s) => s.kind === kind);
  if (!stage) throw new Error(`the pipeline has no ${kind} stage`);
  return stage.id;
};
export const markWon = async (rc: RequestContext, id: string) =>
  moveOpportunity(rc, id, await terminalStage(rc, 'won'));
export const markLost = async (rc: RequestContext, id: string, reason: unknown) =>
  moveOpportunity(rc, id, await terminalStage(rc, 'lost'), reason);

export interface PipelineSummary {
  stages: Array<{ stage: PipelineStage; count: number; value: number; weightedValue: number }>;
  openCount: number;
  openValue: number;
  weightedValue: number;
  /** won ÷ (won + lost), null before anything closed */
  winRate: number | null;
}

/** The pipeline over the opportunities the caller can read: every stage listed, zeros included. */
export async function pipelineSummary(rc: RequestContext, rawFilter: unknown): Promise<PipelineSummary> {
  const filter = parse(opportunityFilterSchema, rawFilter, ['filter']);
  const [stages, totals] = await Promise.all([
    stagesOf(rc),
    filterQuery(rc, filter).then((q) => opportunityRepository(rc.data).totalsByStage(whereOf(q))),
  ]);
  const rows = stages.map((stage) => {
    const t = totals.get(stage.id) ?? { count: 0, valueCents: 0, weightedCents: 0 };
    return { stage, count: t.count, value: t.valueCents / 100, weightedValue: t.weightedCents / 100 };
  });
  const open = rows.filter((r) => r.stage.kind === 'open');
  const won = rows.filter((r) => r.stage.kind === 'won').reduce((n, r) => n + r.count, 0);
  const lost = rows.filter((r) => r.stage.kind === 'lost').reduce((n, r) => n + r.count, 0);
  const sum = (xs: typeof rows, f: (r: (typeof rows)[number]) => number) =>
    Math.round(xs.reduce((n, r) => n + f(r), 0) * 100) / 100;
  return {
    stages: rows,
    openCount: open.reduce((n, r) => n + r.count, 0),
    openValue: sum(open, (r) => r.value),
    weightedValue: sum(open, (r) => r.weightedValue),
    winRate: won + lost === 0 ? null : won / (won + lost),
  };
}
