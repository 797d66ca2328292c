import { ineligibility, type AssignmentCandidate } from './candidates.js';
import type { Pick } from './round-robin.js';

/** The eligible member with the fewest open leads; ties go to the lowest member id, so replays agree. */
export function pickLeastLoaded(members: readonly AssignmentCandidate[]): Pick | null {
  const eligible = members
    .filter((m) => ineligibility(m) === null)
    .sort((a, b) => a.openLeads - b.openLeads || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const best = eligible[0];
  if (!best) return null;
  const tied = eligible.filter((m) => m.openLeads === best.openLeads).length - 1;
  const next = eligible.find((m) => m.openLeads > best.openLeads);
  let detail = `${best.name} has ${best.openLeads} open ${best.openLeads === 1 ? 'lead' : 'leads'}`;
  if (tied > 0) detail += `, tied with ${tied} other${tied === 1 ? '' : 's'} (first in member order)`;
  else if (next) detail += ` (next: ${next.name} with ${next.openLeads})`;
  return { member: best, detail };
}
