import { ValidationFailed } from '@solar/common';
import type { LeadSource } from '../lead-schema.js';
import {
  scoringRulesSchema,
  type CreditBand,
  type Ownership,
  type PointsRule,
  type RoofOrientation,
  type RoofType,
  type ScoringRules,
  type ShadingLevel,
} from './scoring-rules.js';

/** What scoring reads about a lead: the lead row plus what the rep learnt about the property. */
export interface ScoringLead {
  source: LeadSource;
  monthlyBill?: number | null;
  roofType?: RoofType | null;
  roofAgeYears?: number | null;
  roofOrientation?: RoofOrientation | null;
  shading?: ShadingLevel | null;
  creditBand?: CreditBand | null;
  ownership?: Ownership | null;
}

/** Engagement, as the latest time each thing happened. `asOf` is "now", passed in so a score can be replayed. */
export interface EngagementSignals {
  asOf: Date;
  emailOpenedAt?: Date | null;
  repliedAt?: Date | null;
  meetingBookedAt?: Date | null;
  lastTouchAt?: Date | null;
}

export type Grade = 'A' | 'B' | 'C' | 'D';

export interface ScoreContribution {
  /** Which rule fired, e.g. "source.referral", "engagement.meetingBooked". */
  rule: string;
  points: number;
  /** The sentence a rep reads, e.g. "Booked a meeting (3 days ago)". */
  reason: string;
}

export interface LeadScore {
  /** 0..100 */
  score: number;
  grade: Grade;
  /** Sum of contributions before clamping to 0..100. */
  rawTotal: number;
  contributions: ScoreContribution[];
  /** Facts not known yet; asking about them may change the score. */
  missing: string[];
}

const DAY_MS = 86_400_000;

/** Validates a stored rule set (missing sections take the defaults). */
export function parseScoringRules(raw: unknown): ScoringRules {
  const parsed = scoringRulesSchema.safeParse(raw ?? {});
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['scoringRules']);
  return parsed.data;
}

/**
 * Scores a lead by the tenant's rules. Deterministic: the same lead, signals and rules always give the same
 * score, contributions in a fixed order (source, bill, roof, shading, credit, ownership, engagement).
 */
export function scoreLead(lead: ScoringLead, signals: EngagementSignals, rules: ScoringRules): LeadScore {
  const contributions: ScoreContribution[] = [];
  const missing: string[] = [];
  const add = (rule: string, r: PointsRule | undefined) => {
    if (r) contributions.push({ rule, points: r.points, reason: r.reason });
  };
  const pick = <K extends string>(
    section: string,
    table: Partial<Record<K, PointsRule>>,
    key: K | null | undefined,
  ) => {
    if (key == null) missing.push(section);
    else add(`${section}.${key}`, table[key]);
  };

  add(`source.${lead.source}`, rules.source[lead.source]);

  if (lead.monthlyBill == null) {
    missing.push('monthlyBill');
    if (rules.monthlyBill.unknown.points !== 0) add('monthlyBill.unknown', rules.monthlyBill.unknown);
  } else {
    const bill = lead.monthlyBill;
    const band = rules.monthlyBill.bands.find((b) => bill >= b.min && (b.max === undefined || bill < b.max));
    if (band) add(`monthlyBill.${bandLabel(band)}`, band);
  }

  pick('roofType', rules.roofType, lead.roofType);
  if (lead.roofAgeYears == null) missing.push('roofAge');
  else {
    const age = lead.roofAgeYears;
    const band = rules.roofAge.bands.find((b) => age >= b.min && (b.max === undefined || age < b.max));
    if (band) add(`roofAge.${bandLabel(band)}`, band);
  }
  pick('roofOrientation', rules.roofOrientation, lead.roofOrientation);
  pick('shading', rules.shading, lead.shading);
  pick('creditBand', rules.creditBand, lead.creditBand);
  pick('ownership', rules.ownership, lead.ownership);

  const now = signals.asOf.getTime();
  const engagement = rules.engagement;
  for (const [key, at] of [
    ['emailOpened', signals.emailOpenedAt],
    ['replied', signals.repliedAt],
    ['meetingBooked', signals.meetingBookedAt],
  ] as const) {
    if (!at) continue;
    const rule = engagement[key];
    const days = Math.max(0, Math.floor((now - at.getTime()) / DAY_MS));
    // exponential decay: a meeting booked last week counts more than one booked last quarter
    const decayed = Math.round(rule.points * 0.5 ** (days / rule.halfLifeDays));
    if (decayed !== 0)
      contributions.push({
        rule: `engagement.${key}`,
        points: decayed,
        reason: `${rule.reason} (${ago(days)})`,
      });
  }
  const lastTouch = latest([signals.lastTouchAt, signals.repliedAt, signals.meetingBookedAt]);
  if (lastTouch) {
    const days = Math.floor((now - lastTouch.getTime()) / DAY_MS);
    if (days > engagement.stale.afterDays)
      contributions.push({
        rule: 'engagement.stale',
        points: engagement.stale.points,
        reason: `${engagement.stale.reason} (last touch ${ago(days)})`,
      });
  }

  const rawTotal = contributions.reduce((sum, c) => sum + c.points, 0);
  const score = Math.min(100, Math.max(0, rawTotal));
  return { score, grade: gradeFor(score, rules.grades), rawTotal, contributions, missing };
}

/** The explanation as lines a rep reads: "Score 72 (A)", "+20 Referred by a customer or friend", … */
export function explainScore(result: LeadScore): string[] {
  const lines = [`Score ${result.score} (${result.grade})`];
  for (const c of result.contributions)
    lines.push(`${c.points >= 0 ? '+' : '−'}${Math.abs(c.points)} ${c.reason}`);
  if (result.rawTotal !== result.score) lines.push(`(points total ${result.rawTotal}, capped to 0–100)`);
  if (result.missing.length) lines.push(`Not known yet: ${result.missing.join(', ')}`);
  return lines;
}

function gradeFor(score: number, grades: ScoringRules['grades']): Grade {
  if (score >= grades.A) return 'A';
  if (score >= grades.B) return 'B';
  if (score >= grades.C) return 'C';
  return 'D';
}

function bandLabel(band: { min: number; max?: number | undefined }): string {
  return band.max === undefined ? `${band.min}+` : `${band.min}-${band.max}`;
}

function ago(days: number): string {
  if (days === 0) return 'today';
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

function latest(dates: Array<Date | null | undefined>): Date | null {
  let best: Date | null = null;
  for (const d of dates) if (d && (!best || d > best)) best = d;
  return best;
}
