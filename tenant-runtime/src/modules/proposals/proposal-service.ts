import { Conflict, NotFound, ValidationFailed, type FieldErrors } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { UUID } from '../../engine/validation/fields.js';
import { customerRepository } from '../customers/customer-repository.js';
import { opportunityRepository } from '../opportunities/opportunity-repository.js';
import type { Opportunity } from '../opportunities/opportunity-schema.js';
import { computeProposal } from './compute-proposal.js';
import { estimateProduction } from './production-source.js';
import { proposalRepository, type Proposal, type StoredProposalInput } from './proposal-repository.js';
import {
  analysisInputSchema,
  EQUIPMENT_KINDS,
  financingInputSchema,
  incentivesInputSchema,
  pricingInputSchema,
  siteLocationSchema,
  systemDesignSchema,
  utilityInputSchema,
  type CatalogueItem,
} from './proposal-schema.js';
import { startNextVersion, transition, assertEditable, type ProposalAction } from './proposal-status.js';
import { sizeSystem } from './system-size.js';

/** How long an offer stays valid when the rep does not say. */
const DEFAULT_VALIDITY_DAYS = 30;

/**
 * What a rep gives for a proposal version: the engine's inputs minus what the runtime supplies itself (the
 * catalogue items, from the workspace catalogue; production, from PVWatts or the offline model at the site).
 */
export const proposalDraftSchema = z.object({
  design: systemDesignSchema,
  pricing: pricingInputSchema,
  incentives: incentivesInputSchema.default({ federalItcRate: 0, rebates: [] }),
  utility: utilityInputSchema,
  financing: financingInputSchema,
  analysis: analysisInputSchema,
  /** where the array goes; the opportunity's site coordinates when omitted */
  location: siteLocationSchema.optional(),
  validUntil: z.coerce.date('Must be a date').optional(),
});
export type ProposalDraft = z.output<typeof proposalDraftSchema>;

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

/** The engine reports paths relative to its input; the API's live under `input`. */
function underInput<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof ValidationFailed)) throw e;
    const fields: FieldErrors = {};
    for (const [k, v] of Object.entries(e.fields)) fields[k ? `input.${k}` : 'input'] = v;
    throw new ValidationFailed(fields);
  }
}

/** Inputs + computed figures for one version: catalogue items and production are resolved here. */
async function compute(
  data: DataAccess,
  opp: Opportunity,
  draft: ProposalDraft,
): Promise<{ input: StoredProposalInput; result: ReturnType<typeof computeProposal> }> {
  const ids = [...new Set(draft.design.lines.map((l) => l.catalogueItemId))];
  const catalogue: CatalogueItem[] = await proposalRepository(data).catalogueItems(ids);
  const size = underInput(() => sizeSystem(draft.design, catalogue));
  let location = draft.location;
  if (!location && opp.siteId) {
    const site = await customerRepository(data).findSite(opp.siteId);
    if (site?.latitude != null && site.longitude != null)
      location = { lat: site.latitude, lon: site.longitude };
  }
  if (!location)
    throw new ValidationFailed({
      'input.location': ['Give the latitude and longitude of the array (the opportunity’s site has none)'],
    });
  const production = await estimateProduction(draft.design, size, location);
  const input = {
    design: draft.design,
    catalogue,
    pricing: draft.pricing,
    incentives: draft.incentives,
    utility: draft.utility,
    financing: draft.financing,
    production,
    analysis: draft.analysis,
  };
  return { input: { ...input, location }, result: underInput(() => computeProposal(input)) };
}

const validity = (draft: ProposalDraft, now: Date) =>
  draft.validUntil ?? new Date(now.getTime() + DEFAULT_VALIDITY_DAYS * 86_400_000);

/** Locks the opportunity for a proposal write: hidden → NOT_FOUND, visible but not the caller's → FORBIDDEN. */
async function lockOpportunity(data: DataAccess, opportunityId: string): Promise<Opportunity> {
  if (!UUID.test(opportunityId)) throw new NotFound('No such opportunity');
  return opportunityRepository(data).update(opportunityId, {});
}

/** The visible proposal version and its opportunity, locked for a write. */
async function lockProposal(data: DataAccess, id: string): Promise<{ opp: Opportunity; current: Proposal }> {
  if (!UUID.test(id)) throw new NotFound('No such proposal');
  const seen = await proposalRepository(data).findById(id);
  if (!seen) throw new NotFound('No such proposal');
  const opp = await lockOpportunity(data, seen.opportunityId);
  const current = (await proposalRepository(data).lockVersions(opp.id)).find((p) => p.id === id);
  if (!current) throw new NotFound('No such proposal');
  return { opp, current };
}

async function reload(data: DataAccess, id: string): Promise<Proposal> {
  const p = await proposalRepository(data).findById(id);
  if (!p) throw new Error('proposal vanished inside its own transaction');
  return p;
}

/** Version 1 of an opportunity's proposal, as a draft; later versions come from newProposalVersion. */
export async function createProposal(
  rc: RequestContext,
  opportunityId: string,
  raw: unknown,
): Promise<Proposal> {
  const draft = parse(proposalDraftSchema, raw, ['input']);
  const created = await rc.data.transaction(async (data) => {
    const opp = await lockOpportunity(data, opportunityId);
    const repo = proposalRepository(data);
    if ((await repo.lockVersions(opp.id)).length)
      throw new Conflict('This opportunity already has a proposal; start a new version of it instead');
    const { input, result } = await compute(data, opp, draft);
    const id = uuidv7();
    await repo.insert({
      id,
      opportunityId: opp.id,
      version: 1,
      status: 'draft',
      validUntil: validity(draft, new Date()),
      sentAt: null,
      decidedAt: null,
      supersededBy: null,
      input,
      result,
      createdBy: rc.actor.memberId,
    });
    await recordEvent(data, originOf(rc), {
      type: 'proposal.created',
      entityType: 'Proposal',
      entityId: id,
      payload: { opportunityId: opp.id, version: 1 },
    });
    return reload(data, id);
  });
  rc.log.info({ proposalId: created.id, opportunityId }, 'proposal created');
  return created;
}

/** Replaces a draft's inputs and recomputes it; anything sent, decided or superseded answers CONFLICT. */
export async function updateProposal(rc: RequestContext, id: string, raw: unknown): Promise<Proposal> {
  const draft = parse(proposalDraftSchema, raw, ['input']);
  const updated = await rc.data.transaction(async (data) => {
    const { opp, current } = await lockProposal(data, id);
    assertEditable(current);
    const { input, result } = await compute(data, opp, draft);
    await proposalRepository(data).update(id, {
      input,
      result,
      ...(draft.validUntil ? { validUntil: draft.validUntil } : {}),
    });
    await recordEvent(data, originOf(rc), {
      type: 'proposal.updated',
      entityType: 'Proposal',
      entityId: id,
      payload: { opportunityId: opp.id, version: current.version },
    });
    return reload(data, id);
  });
  rc.log.info({ proposalId: id }, 'proposal updated');
  return updated;
}

const EVENT_OF: Record<Exclude<ProposalAction, 'expire'>, string> = {
  send: 'proposal.sent',
  accept: 'proposal.accepted',
  reject: 'proposal.rejected',
};

/** send / accept / reject through the status machine (refusals are CONFLICT). */
export async function actOnProposal(
  rc: RequestContext,
  id: string,
  action: Exclude<ProposalAction, 'expire'>,
): Promise<Proposal> {
  const acted = await rc.data.transaction(async (data) => {
    const { opp, current } = await lockProposal(data, id);
    const next = transition(current, action, new Date());
    await proposalRepository(data).update(id, {
      status: next.status,
      sentAt: next.sentAt,
      decidedAt: next.decidedAt,
    });
    await recordEvent(data, originOf(rc), {
      type: EVENT_OF[action],
      entityType: 'Proposal',
      entityId: id,
      payload: { opportunityId: opp.id, version: current.version },
    });
    return reload(data, id);
  });
  rc.log.info({ proposalId: id, action }, 'proposal status changed');
  return acted;
}

/**
 * Starts the next version from `id` (its inputs, or new ones), superseding — and so freezing — every earlier
 * version, so a customer can no longer accept an offer the rep has replaced.
 */
export async function newProposalVersion(rc: RequestContext, id: string, raw: unknown): Promise<Proposal> {
  const given = raw == null ? null : parse(proposalDraftSchema, raw, ['input']);
  const created = await rc.data.transaction(async (data) => {
    const { opp, current } = await lockProposal(data, id);
    const repo = proposalRepository(data);
    const versions = await repo.lockVersions(opp.id);
    // the stored inputs (minus what the runtime resolves itself) seed the next version unless new ones came
    const draft = given ?? parse(proposalDraftSchema, current.input, ['input']);
    const next = startNextVersion(versions, validity(draft, new Date()));
    for (const v of versions)
      if (v.supersededBy === null) await repo.update(v.id, { supersededBy: next.created.version });
    const { input, result } = await compute(data, opp, draft);
    const newId = uuidv7();
    await repo.insert({
      ...next.created,
      id: newId,
      opportunityId: opp.id,
      input,
      result,
      createdBy: rc.actor.memberId,
    });
    await recordEvent(data, originOf(rc), {
      type: 'proposal.versioned',
      entityType: 'Proposal',
      entityId: newId,
      payload: { opportunityId: opp.id, version: next.created.version, supersedes: current.version },
    });
    return reload(data, newId);
  });
  rc.log.info({ proposalId: created.id, version: created.version }, 'proposal version started');
  return created;
}

/** null when it does not exist or its opportunity is not visible to the caller. */
export async function getProposal(rc: RequestContext, id: string): Promise<Proposal | null> {
  return UUID.test(id) ? proposalRepository(rc.data).findById(id) : null;
}

export async function listProposals(rc: RequestContext, opportunityId: string): Promise<Proposal[]> {
  return UUID.test(opportunityId) ? proposalRepository(rc.data).versionsOf(opportunityId) : [];
}

const kindSchema = z.enum(EQUIPMENT_KINDS).optional();
export async function equipmentCatalogue(
  rc: RequestContext,
  kind: unknown,
  includeRetired = false,
): Promise<Array<CatalogueItem & { active: boolean }>> {
  return proposalRepository(rc.data).catalogue(
    parse(kindSchema, kind ?? undefined, ['kind']),
    includeRetired,
  );
}
