import { ineligibility, type AssignmentCandidate } from './candidates.js';

export interface Pick {
  member: AssignmentCandidate;
  /** the sentence after "Round-robin in X: " / "Fewest open leads in X: " */
  detail: string;
}

/**
 * Next eligible member after the one who got the previous lead, wrapping around. The cursor is that member's
 * id, so it survives members joining, leaving or being disabled: the rotation resumes at the next id.
 */
export function pickRoundRobin(
  members: readonly AssignmentCandidate[],
  lastMemberId: string | undefined,
): Pick | null {
  if (members.length === 0) return null;
  const start = lastMemberId === undefined ? 0 : members.findIndex((m) => m.id > lastMemberId);
  const from = start === -1 ? 0 : start;
  const skipped: string[] = [];
  for (let i = 0; i < members.length; i++) {
    const m = members[(from + i) % members.length]!;
    const why = ineligibility(m);
    if (why) {
      skipped.push(`${m.name} (${why})`);
      continue;
    }
    const previous = lastMemberId === undefined ? undefined : members.find((x) => x.id === lastMemberId);
    let detail =
      lastMemberId === undefined
        ? `${m.name} starts the rotation`
        : `next after ${previous ? previous.name : 'a former member'}`;
    if (skipped.length) detail += `; skipped ${skipped.join(', ')}`;
    return { member: m, detail };
  }
  return null;
}
