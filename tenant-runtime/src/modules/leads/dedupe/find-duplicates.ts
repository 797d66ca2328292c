import { matchKeys, normalizeName, type DedupeLead, type MatchKeyKind } from './match-keys.js';

export interface DuplicateMatch<T> {
  lead: T;
  /** 0..1, two decimals */
  confidence: number;
  matchedOn: MatchKeyKind[];
  /** sentences a rep reads before merging, e.g. "Same email (jdoe@gmail.com)" */
  reasons: string[];
}

/*
 * How much each shared contact point says "same person". An address alone is weak (a household, a new
 * owner), so it only clears the bar with a matching name.
 */
const WEIGHT: Record<MatchKeyKind, number> = { email: 0.9, phone: 0.8, address: 0.5 };
const SAME_NAME = 0.6;
const SAME_LAST_NAME = 0.3;
const DIFFERENT_NAME_FACTOR = 0.8;
export const DEFAULT_MIN_CONFIDENCE = 0.5;

/**
 * Existing leads that are probably the same person as the candidate, best first. Needs at least one shared
 * email, phone or address; names then raise or lower the confidence. Independent evidence combines as
 * 1 − Π(1 − w).
 */
export function findDuplicates<T extends DedupeLead>(
  candidate: DedupeLead,
  existing: readonly T[],
  minConfidence = DEFAULT_MIN_CONFIDENCE,
): DuplicateMatch<T>[] {
  const keys = new Map(matchKeys(candidate).map((k) => [k.kind, k.value]));
  if (keys.size === 0) return [];
  const first = normalizeName(candidate.firstName);
  const last = normalizeName(candidate.lastName);
  const matches: DuplicateMatch<T>[] = [];

  for (const other of existing) {
    if (candidate.id !== undefined && other.id === candidate.id) continue;
    const matchedOn: MatchKeyKind[] = [];
    const reasons: string[] = [];
    let missing = 1;
    for (const k of matchKeys(other)) {
      if (keys.get(k.kind) !== k.value) continue;
      matchedOn.push(k.kind);
      reasons.push(`Same ${k.kind} (${k.kind === 'address' ? k.value.replaceAll('|', ', ') : k.value})`);
      missing *= 1 - WEIGHT[k.kind];
    }
    if (matchedOn.length === 0) continue;

    const otherFirst = normalizeName(other.firstName);
    const otherLast = normalizeName(other.lastName);
    let factor = 1;
    if (last && last === otherLast && first && sameFirstName(first, otherFirst)) {
      missing *= 1 - SAME_NAME;
      reasons.push(`Same name (${other.firstName} ${other.lastName})`);
    } else if (last && last === otherLast) {
      missing *= 1 - SAME_LAST_NAME;
      reasons.push(`Same last name (${other.lastName})`);
    } else if (last && otherLast) {
      factor = DIFFERENT_NAME_FACTOR;
      reasons.push(
        `Different names (${candidate.firstName} ${candidate.lastName} vs ${other.firstName} ${other.lastName})`,
      );
    }
    const confidence = Math.round((1 - missing) * factor * 100) / 100;
    if (confidence >= minConfidence) matches.push({ lead: other, confidence, matchedOn, reasons });
  }
  return matches.sort(
    (a, b) => b.confidence - a.confidence || String(a.lead.id ?? '').localeCompare(String(b.lead.id ?? '')),
  );
}

/** "Jon" vs "Jonathan", "J" vs "Jane": one a prefix of the other counts as the same first name. */
function sameFirstName(a: string, b: string | null): boolean {
  return b !== null && (a.startsWith(b) || b.startsWith(a));
}
