import { NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import { decodeCursor, toConnection, type Connection } from '../../engine/graphql/connection.js';
import { UUID } from '../../engine/validation/fields.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import { loadLeadSettings } from '../settings/lead-settings.js';
import { matchKeys, type MatchKey } from './dedupe/match-keys.js';
import { createLeadFullSchema, updateLeadFullSchema, type CreateLeadFullInput } from './lead-facts.js';
import { createPlacer, type Placer } from './lead-placement.js';
import { leadRepository, leadsTable, scoreColumns, type LeadRepository } from './lead-repository.js';
import {
  assignLeadInputSchema,
  LEAD_STATUSES,
  leadFilterSchema,
  listLeadsArgsSchema,
  type CreateLeadInput,
  type LeadRecord,
  type LeadStatus,
} from './lead-schema.js';
import { computeScore, SCORED_FIELDS } from './lead-score.js';
import type { ScoringRules } from './scoring/scoring-rules.js';
import { toCsv } from './lead-csv.js';

type Lead = LeadRecord;

/** Exports stop here; `truncated` tells the caller there was more. */
export const EXPORT_LIMIT = 10_000;

/** Lead use cases. Input is validated here (zod) before anything is written; resolvers only translate. */

/**
 * Captures one lead: scored by the tenant's rules, placed by its assignment rules when no owner is given
 * (the creator keeps it when assignment is off or nobody in the caller's scope is eligible), with its
 * match keys for de-duplication, all in one transaction together with the round-robin cursor.
 */
export async function createLead(rc: RequestContext, rawInput: unknown): Promise<Lead> {
  const parsed = createLeadFullSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  // UUIDv7: time-ordered, so the primary key doubles as the newest-first sort key
  const id = uuidv7();
  const lead = await rc.data.transaction(async (data, trx) => {
    const settings = await loadLeadSettings(data);
    const placer = await createPlacer(data, trx, parsed.data.ownerId ? null : settings.assignmentRules);
    const repo = leadRepository(data);
    const { lead: written, keys } = await captureLead(repo, placer, data, {
      id,
      input: parsed.data,
      rules: settings.scoringRules,
      actorId: rc.caller.userId,
    });
    await repo.insertMatchKeys(keys.map((k) => ({ leadId: id, ...k })));
    await placer.saveCursors();
    await recordEvent(data, originOf(rc), {
      type: 'lead.created',
      entityType: 'Lead',
      entityId: id,
      payload: { ownerId: written.ownerId, status: written.status },
    });
    return written;
  });
  rc.log.info({ leadId: id, ownerId: lead.ownerId, strategy: lead.assignmentStrategy }, 'lead created');
  return lead;
}

/**
 * Writes one new lead (shared by createLead and the CSV import): score, placement, insert through the
 * data-access layer (and an assign step when the lead goes where only the assign scope reaches). Returns
 * the lead as stored and its match keys, for the caller to write (imports batch them).
 */
export async function captureLead(
  repo: LeadRepository,
  placer: Placer,
  data: DataAccess,
  args: {
    id: string;
    input: CreateLeadInput & Partial<CreateLeadFullInput>;
    rules: ScoringRules;
    actorId: string;
    /** imports skip reading each lead back */
    readBack?: boolean;
  },
): Promise<{ lead: Lead; keys: MatchKey[] }> {
  const { id, input } = args;
  const score = computeScore(input, args.rules);
  const placement = await placer.place(
    {
      unitId: data.actor.primaryUnitId,
      postalCode: input.postalCode,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
    },
    input.ownerId,
  );
  const keys = matchKeys(input);
  let row;
  if (placement.direct) {
    row = await repo.insert(id, input, placement, score, args.actorId);
  } else {
    // created as the caller's own lead, then handed over under the assign scope (checked by the layer)
    row = await repo.insert(
      id,
      input,
      { ownerId: data.actor.memberId, strategy: placement.strategy, reason: placement.reason },
      score,
      args.actorId,
    );
    const placed = await repo.place(id, placement);
    if (placed) return { lead: placed, keys };
    row = { ...row, owner_id: placement.ownerId, unit_id: placement.unitId };
  }
  if (args.readBack !== false) {
    const stored = await repo.findById(id);
    if (stored) return { lead: stored, keys };
  }
  // no longer visible to the caller (handed to a teammate): answer with what was written
  const now = new Date();
  return {
    lead: repo.fromRow({
      unit_id: data.actor.primaryUnitId,
      ...row,
      created_at: now,
      updated_at: now,
    }),
    keys,
  };
}

/** null when the lead does not exist or is outside the caller's scope — the two look the same. */
export async function getLead(rc: RequestContext, id: string): Promise<Lead | null> {
  if (!UUID.test(id)) return null;
  return leadRepository(rc.data).findById(id);
}

export async function listLeads(rc: RequestContext, rawArgs: unknown): Promise<Connection<Lead>> {
  const parsed = listLeadsArgsSchema.safeParse(rawArgs);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { first, after, filter } = parsed.data;
  const afterId = after ? decodeCursor(after) : undefined;
  const page = await leadRepository(rc.data).list({
    first,
    ...(afterId ? { afterId } : {}),
    ...(filter?.status ? { statuses: filter.status } : {}),
    ...(filter?.search ? { search: filter.search } : {}),
  });
  return toConnection(page.leads, { hasNextPage: page.hasNextPage, after, totalCount: page.totalCount });
}

/** Fields whose change changes the lead's match keys. */
const KEY_FIELDS = ['email', 'phone', 'street', 'city', 'postalCode', 'country'] as const;

/**
 * Changes a lead's fields. Hidden → NotFound; visible but not the caller's to change → Forbidden. A change
 * to a scored field re-scores the lead, a change to a contact field re-keys it, in the same transaction.
 */
export async function updateLead(rc: RequestContext, id: string, rawInput: unknown): Promise<Lead> {
  const parsed = updateLeadFullSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  if (!UUID.test(id)) throw new NotFound('No such lead');
  const input = parsed.data;
  const lead = await rc.data.transaction(async (data) => {
    const repo = leadRepository(data);
    const before = await repo.lockVisible(id);
    if (!before) throw new NotFound('No such record');
    const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const after = { ...before, ...defined };
    const rescore = SCORED_FIELDS.some((f) => f in defined);
    const extra = rescore
      ? scoreColumns(computeScore(after, (await loadLeadSettings(data)).scoringRules))
      : {};
    const updated = await repo.update(id, input, extra);
    if (KEY_FIELDS.some((f) => f in defined)) await repo.replaceMatchKeys(id, matchKeys(updated));
    await recordEvent(data, originOf(rc), {
      type: 'lead.updated',
      entityType: 'Lead',
      entityId: id,
      payload: { fields: Object.keys(defined) },
    });
    return updated;
  });
  rc.log.info({ leadId: id }, 'lead updated');
  return lead;
}

/**
 * Hands a lead to another owner and/or unit. The lead must be within the caller's assign scope, and so must
 * its new place: assigning outside it → OUT_OF_SCOPE.
 */
export async function assignLead(rc: RequestContext, id: string, rawInput: unknown): Promise<Lead> {
  const parsed = assignLeadInputSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  if (!UUID.test(id)) throw new NotFound('No such lead');
  const { unitId } = parsed.data;
  if (unitId && !(await rc.data.unscoped('org_units').where({ id: unitId }).first('id')))
    throw new ValidationFailed({ 'input.unitId': ['No such org unit'] });
  const lead = await rc.data.transaction(async (data) => {
    const assigned = await leadRepository(data).assign(id, parsed.data);
    await recordEvent(data, originOf(rc), {
      type: 'lead.assigned',
      entityType: 'Lead',
      entityId: id,
      payload: { ownerId: assigned.ownerId, unitId: assigned.unitId },
    });
    return assigned;
  });
  rc.log.info({ leadId: id, ownerId: lead.ownerId, unitId: lead.unitId }, 'lead assigned');
  return lead;
}

/** Whether `rc`'s caller could see a deleted lead, from its `lead.deleted` payload (owner and unit). */
export function sawDeletedLead(rc: RequestContext, payload: Record<string, unknown>): boolean {
  const column = (v: unknown) => (typeof v === 'string' ? v : null);
  return rc.data.couldRead(leadsTable, {
    owner_id: column(payload['ownerId']),
    unit_id: column(payload['unitId']),
  });
}

export async function deleteLead(rc: RequestContext, id: string): Promise<string> {
  if (!UUID.test(id)) throw new NotFound('No such lead');
  await rc.data.transaction(async (data) => {
    const gone = await leadRepository(data).delete(id);
    // who could see it is judged from these once the row is gone (webhooks; see leadSource in modules/index.ts)
    await recordEvent(data, originOf(rc), {
      type: 'lead.deleted',
      entityType: 'Lead',
      entityId: id,
      payload: { ownerId: gone.ownerId, unitId: gone.unitId },
    });
  });
  rc.log.info({ leadId: id }, 'lead deleted');
  return id;
}

export interface LeadStats {
  total: number;
  byStatus: Array<{ status: LeadStatus; count: number }>;
}

/** Counts by status over the leads the caller can see (every status listed, zeros included). */
export async function leadStats(rc: RequestContext, rawFilter: unknown): Promise<LeadStats> {
  const parsed = leadFilterSchema.safeParse(rawFilter);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['filter']);
  const counts = await leadRepository(rc.data).countByStatus(filterOf(parsed.data));
  const byStatus = LEAD_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
  return { total: byStatus.reduce((n, s) => n + s.count, 0), byStatus };
}

export interface LeadExport {
  filename: string;
  contentType: string;
  rowCount: number;
  truncated: boolean;
  csv: string;
}

/** The caller's exportable leads as CSV (newest first, at most EXPORT_LIMIT). */
export async function exportLeads(rc: RequestContext, rawFilter: unknown): Promise<LeadExport> {
  const parsed = leadFilterSchema.safeParse(rawFilter);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['filter']);
  const rows = await leadRepository(rc.data).exportRows(filterOf(parsed.data), EXPORT_LIMIT + 1);
  const leads = rows.slice(0, EXPORT_LIMIT);
  rc.log.info({ rows: leads.length }, 'leads exported');
  return {
    filename: `leads-${new Date().toISOString().slice(0, 10)}.csv`,
    contentType: 'text/csv; charset=utf-8',
    rowCount: leads.length,
    truncated: rows.length > EXPORT_LIMIT,
    csv: toCsv(leads),
  };
}

function filterOf(filter: { status?: LeadStatus[] | null; search?: string | null } | null | undefined) {
  return {
    ...(filter?.status ? { statuses: filter.status } : {}),
    ...(filter?.search ? { search: filter.search } : {}),
  };
}
