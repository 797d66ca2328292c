import type { LeadFacts, LeadSource, StoredScore } from './lead-schema.js';
import { scoreLead } from './scoring/score-lead.js';
import type { ScoringRules } from './scoring/scoring-rules.js';

/** The lead fields scoring reads; a change to any of them re-scores the lead. */
export const SCORED_FIELDS = [
  'source',
  'monthlyBill',
  'roofType',
  'roofAgeYears',
  'roofOrientation',
  'shading',
  'creditBand',
  'ownership',
] as const;

type Scorable = { source: LeadSource; monthlyBill?: number | null } & Partial<LeadFacts>;

/**
 * The lead's score under the tenant's rules, as stored with it. Engagement signals (opens, replies,
 * meetings) are not recorded yet, so a score depends on the lead's own facts and is stable until they change.
 */
export function computeScore(lead: Scorable, rules: ScoringRules, asOf = new Date()): StoredScore {
  const r = scoreLead(
    {
      source: lead.source,
      monthlyBill: lead.monthlyBill ?? null,
      roofType: lead.roofType ?? null,
      roofAgeYears: lead.roofAgeYears ?? null,
      roofOrientation: lead.roofOrientation ?? null,
      shading: lead.shading ?? null,
      creditBand: lead.creditBand ?? null,
      ownership: lead.ownership ?? null,
    },
    { asOf },
    rules,
  );
  return {
    score: r.score,
    grade: r.grade,
    rawTotal: r.rawTotal,
    contributions: r.contributions,
    missing: r.missing,
  };
}
