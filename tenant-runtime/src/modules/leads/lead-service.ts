import { NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import { decodeCursor, toConnection, type Connection } from '../../engine/graphql/connection.js';
import { UUID } from '../../engine/validation/fields.js';
import { leadRepository } from './lead-repository.js';
import {
  assignLeadInputSchema,
  createLeadInputSchema,
  LEAD_STATUSES,
  leadFilterSchema,
  listLeadsArgsSchema,
  updateLeadInputSchema,
  type Lead,
  type LeadStatus,
} from './lead-schema.js';
import { toCsv } from './lead-csv.js';

/** Exports stop here; `truncated` tells the caller there was more. */
export const EXPORT_LIMIT = 10_000;

/** Lead use cases. Input is validated here (zod) before anything is written; resolvers only translate. */

export async function createLead(rc: RequestContext, rawInput: unknown): Promise<Lead> {
  const parsed = createLeadInputSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  const repo = leadRepository(rc.data);
  // UUIDv7: time-ordered, so the primary key doubles as the newest-first sort key
  const id = uuidv7();
  await repo.insert(id, parsed.data, rc.caller.userId);
  const lead = await repo.findById(id);
  if (!lead) throw new Error('lead vanished right after insert');
  rc.log.info({ leadId: id }, 'lead created');
  return lead;
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

/** Changes a lead's fields. Hidden → NotFound; visible but not the caller's to change → Forbidden. */
export async function updateLead(rc: RequestContext, id: string, rawInput: unknown): Promise<Lead> {
  const parsed = updateLeadInputSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  if (!UUID.test(id)) throw new NotFound('No such lead');
  const lead = await leadRepository(rc.data).update(id, parsed.data);
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
  const lead = await leadRepository(rc.data).assign(id, parsed.data);
  rc.log.info({ leadId: id, ownerId: lead.ownerId, unitId: lead.unitId }, 'lead assigned');
  return lead;
}

export async function deleteLead(rc: RequestContext, id: string): Promise<string> {
  if (!UUID.test(id)) throw new NotFound('No such lead');
  await leadRepository(rc.data).delete(id);
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
