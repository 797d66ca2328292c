import { ValidationFailed } from '@solar/common';
import { assignmentRulesSchema, type AssignmentRules, type Pool } from './assignment-rules.js';
import {
  ineligibility,
  poolLabel,
  poolMembers,
  type AssignmentCandidate,
  type OrgUnitRef,
} from './candidates.js';
import { pickLeastLoaded } from './least-loaded.js';
import { pickRoundRobin } from './round-robin.js';
import { matchTerritory, type AssignmentLead } from './territory-match.js';

/** Round-robin positions: pool key (unit id, or "*" for all reps) → id of the member who got the last lead. */
export type RoundRobinCursors = Readonly<Record<string, string>>;

export interface AssignmentContext {
  rules: AssignmentRules;
  candidates: readonly AssignmentCandidate[];
  /** names for the units pools and territories mention (for the reason) */
  units: readonly OrgUnitRef[];
  cursors: RoundRobinCursors;
}

export interface Assignment {
  /** null when no rep is eligible: the lead stays unassigned, with the reason saying why */
  ownerId: string | null;
  unitId?: string;
  strategy: AssignmentRules['strategy'];
  /** a sentence for the lead's history, e.g. "Round-robin in Phoenix Sales: next after Priya Patel" */
  reason: string;
  /** when round-robin picked someone: persist `cursors[pool] = memberId` for the next lead */
  cursor?: { pool: string; memberId: string };
}

export const ALL_REPS_POOL = '*';

/** Validates a tenant's stored assignment rules. */
export function parseAssignmentRules(raw: unknown): AssignmentRules {
  const parsed = assignmentRulesSchema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['assignmentRules']);
  return parsed.data;
}

/**
 * Chooses the owner of a new lead. Pure: the caller loads candidates with their open-lead counts and the
 * round-robin cursors, and persists the returned cursor with the lead in the same transaction.
 */
export function assignLead(lead: AssignmentLead, context: AssignmentContext): Assignment {
  const { rules } = context;
  if (rules.strategy !== 'territory') {
    const pick = rules.strategy === 'load' ? 'load' : 'round_robin';
    return fromPool({ unitId: rules.pool.unitId, pick }, rules.strategy, '', context);
  }

  const passedOver: string[] = [];
  for (const territory of rules.territories) {
    const why = matchTerritory(lead, territory.match, context.units);
    if (why === null) continue;
    const prefix = `Territory ${territory.name} (${why}) → `;
    const result =
      'memberId' in territory.assignTo
        ? toMember(territory.assignTo.memberId, prefix, context)
        : fromPool(territory.assignTo, 'territory', prefix, context);
    if (result.ownerId !== null) return result;
    passedOver.push(territory.name);
  }

  const missed = passedOver.length
    ? `${passedOver.length === 1 ? 'Territory' : 'Territories'} ${passedOver.join(', ')} matched but no rep there is available`
    : `No territory matched${describeLead(lead)}`;
  if (!rules.fallback) return { ownerId: null, strategy: 'territory', reason: `${missed}; left unassigned` };
  return fromPool(rules.fallback, 'territory', `${missed} → fallback: `, context);
}

function fromPool(
  pool: Pool,
  strategy: AssignmentRules['strategy'],
  prefix: string,
  context: AssignmentContext,
): Assignment {
  const members = poolMembers(context.candidates, pool.unitId);
  const label = poolLabel(context.units, pool.unitId);
  const where = pool.unitId === undefined ? 'across all reps' : `in ${label}`;
  const unit = pool.unitId === undefined ? {} : { unitId: pool.unitId };
  const key = pool.unitId ?? ALL_REPS_POOL;
  const pick =
    pool.pick === 'load' ? pickLeastLoaded(members) : pickRoundRobin(members, context.cursors[key]);
  if (!pick) {
    const none = members.length === 0 ? `No reps ${where}` : `No available rep ${where}`;
    return { ownerId: null, ...unit, strategy, reason: `${prefix}${none}; left unassigned` };
  }
  const how = pool.pick === 'load' ? 'Fewest open leads' : 'Round-robin';
  return {
    ownerId: pick.member.id,
    ...unit,
    strategy,
    reason: `${prefix}${how} ${where}: ${pick.detail}`,
    ...(pool.pick === 'load' ? {} : { cursor: { pool: key, memberId: pick.member.id } }),
  };
}

function toMember(memberId: string, prefix: string, context: AssignmentContext): Assignment {
  const member = context.candidates.find((c) => c.id === memberId);
  const why = member ? ineligibility(member) : 'no longer a member';
  if (!member || why)
    return {
      ownerId: null,
      strategy: 'territory',
      reason: `${prefix}${member?.name ?? `member ${memberId}`} is ${why}; left unassigned`,
    };
  return {
    ownerId: member.id,
    strategy: 'territory',
    reason: `${prefix}${member.name}, the territory's rep`,
  };
}

function describeLead(lead: AssignmentLead): string {
  const facts: string[] = [];
  if (lead.postalCode) facts.push(`postcode ${lead.postalCode}`);
  if (lead.latitude != null && lead.longitude != null)
    facts.push(`at ${lead.latitude.toFixed(4)}, ${lead.longitude.toFixed(4)}`);
  if (facts.length === 0 && !lead.unitId) facts.push('no postcode or location');
  return facts.length ? ` (${facts.join(', ')})` : '';
}
