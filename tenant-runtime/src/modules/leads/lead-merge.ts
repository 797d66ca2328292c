import { Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { recordChange } from '../settings/audit-trail.js';
import { loadLeadSettings } from '../settings/lead-settings.js';
import { findDuplicates } from './dedupe/find-duplicates.js';
import { matchKeys, type MatchKeyKind } from './dedupe/match-keys.js';
import { mergeLeads as mergePure, type DiscardedValue } from './dedupe/merge-leads.js';
import { leadRepository, scoreColumns } from './lead-repository.js';
import type { LeadFacts, LeadRecord } from './lead-schema.js';
import { computeScore } from './lead-score.js';

/** How many leads sharing a key are looked at when listing a lead's duplicates. */
const CANDIDATE_LIMIT = 50;

export interface PossibleDuplicate {
  lead: LeadRecord;
  confidence: number;
  matchedOn: MatchKeyKind[];
  reasons: string[];
}

/**
 * Leads that are probably the same person as `lead`, best first: found by the match-key index (shared
 * email, phone or address), then only those the viewer can read (the data-access layer drops the rest),
 * then weighed by findDuplicates. Merged-away leads are not offered again.
 */
export async function duplicatesOf(rc: RequestContext, lead: LeadRecord): Promise<PossibleDuplicate[]> {
  if (lead.mergedIntoId) return [];
  const repo = leadRepository(rc.data);
  const ids = await repo.leadIdsSharingKeys(matchKeys(lead), lead.id, CANDIDATE_LIMIT);
  const visible = (await repo.byIds(ids)).filter((l) => l.mergedIntoId === null);
  return findDuplicates(lead, visible);
}

const mergeArgsSchema = z.object({
  primaryId: z.uuid('Must be a lead id'),
  duplicateIds: z
    .array(z.uuid('Must be a lead id'))
    .min(1, 'Give at least one duplicate to merge')
    .max(20, 'At most 20 leads at once'),
});

const FACTS = [
  'roofType',
  'roofAgeYears',
  'roofOrientation',
  'shading',
  'creditBand',
  'ownership',
  'latitude',
  'longitude',
] as const satisfies ReadonlyArray<keyof LeadFacts>;

export interface MergeOutcome {
  lead: LeadRecord;
  mergedIds: string[];
  discarded: DiscardedValue[];
}

/**
 * Folds duplicates into the primary lead, in one transaction: the primary takes the merged values (rules
 * in dedupe/merge-leads.ts; property facts the primary lacks come from the duplicates) and is re-scored and
 * re-keyed; each duplicate is marked merged into it (it leaves every list, stays readable by id) and loses
 * its match keys. Every value that did not survive is kept in the audit log entry with both sides. The
 * caller must be allowed to update every lead involved: hidden → NOT_FOUND, visible only → FORBIDDEN.
 */
export async function mergeLeads(rc: RequestContext, rawArgs: unknown): Promise<MergeOutcome> {
  const parsed = mergeArgsSchema.safeParse(rawArgs);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { primaryId, duplicateIds } = parsed.data;
  if (duplicateIds.includes(primaryId) || new Set(duplicateIds).size !== duplicateIds.length)
    throw new ValidationFailed({ duplicateIds: ['List each duplicate once, and not the primary lead'] });

  const outcome = await rc.data.transaction(async (data) => {
    const repo = leadRepository(data);
    const ids = [primaryId, ...duplicateIds];
    const locked = new Map((await repo.lockVisibleMany(ids)).map((l) => [l.id, l]));
    const missing = ids.find((id) => !locked.has(id));
    if (missing) throw new NotFound(`No such lead: ${missing}`);
    const updatable = new Set((await repo.byIds(ids, 'update')).map((l) => l.id));
    const readOnly = ids.find((id) => !updatable.has(id));
    if (readOnly) throw new Forbidden(`You may not update lead ${readOnly}`);
    const gone = ids.find((id) => locked.get(id)!.mergedIntoId !== null);
    if (gone) throw new ValidationFailed({ duplicateIds: [`Lead ${gone} was already merged`] });

    const primary = locked.get(primaryId)!;
    const duplicates = duplicateIds.map((id) => locked.get(id)!);
    const { merged, fieldSources, discarded } = mergePure(primary, duplicates);
    const facts: Partial<LeadFacts> = {};
    for (const f of FACTS) {
      const from = [primary, ...duplicates].find((l) => l[f] !== null);
      if (from && primary[f] === null) (facts as Record<string, unknown>)[f] = from[f];
      for (const d of duplicates)
        if (d[f] !== null && d[f] !== (from ?? primary)[f])
          discarded.push({ leadId: d.id, field: f, value: d[f] });
    }
    const score = computeScore(
      { ...primary, ...merged, ...facts },
      (await loadLeadSettings(data)).scoringRules,
    );
    const lead = await repo.update(
      primaryId,
      {
        firstName: merged.firstName,
        lastName: merged.lastName,
        email: merged.email,
        phone: merged.phone,
        company: merged.company,
        monthlyBill: merged.monthlyBill,
        street: merged.street,
        city: merged.city,
        region: merged.region,
        postalCode: merged.postalCode,
        country: merged.country,
        status: merged.status,
        notes: merged.notes,
        ...facts,
      },
      { created_at: merged.createdAt, ...scoreColumns(score) },
    );
    for (const d of duplicates) await repo.update(d.id, {}, { merged_into_id: primaryId });
    await repo.deleteMatchKeys(duplicateIds);
    await repo.replaceMatchKeys(primaryId, matchKeys(lead));
    await recordChange(
      data,
      { memberId: rc.actor.memberId, requestId: rc.requestId },
      {
        action: 'lead.merged',
        entityType: 'lead',
        entityId: primaryId,
        before: { primary, duplicates },
        after: { lead, mergedIds: duplicateIds, fieldSources, discarded },
      },
    );
    // one event per lead that changed: the primary, and each duplicate now pointing at it
    for (const leadId of [primaryId, ...duplicateIds])
      await recordEvent(data, originOf(rc), {
        type: 'lead.merged',
        entityType: 'Lead',
        entityId: leadId,
        payload: { primaryId, mergedIds: duplicateIds },
      });
    return { lead, mergedIds: duplicateIds, discarded };
  });
  rc.log.info({ leadId: primaryId, merged: duplicateIds.length }, 'leads merged');
  return outcome;
}
