import { ALL_SCOPE, NO_SCOPE, rowWritable, type Actor, type Scope } from '../../engine/data/scope.js';
import { createDataAccess, type DataAccess } from '../../engine/data/data-access.js';
import type { Knex } from '@solar/common';
import { assignLead, type RoundRobinCursors } from './assignment/assign-lead.js';
import type { AssignmentRules } from './assignment/assignment-rules.js';
import type { AssignmentCandidate, OrgUnitRef } from './assignment/candidates.js';
import type { AssignmentLead } from './assignment/territory-match.js';
import { leadsTable, type LeadPlacement } from './lead-repository.js';

/** Statuses that still need a rep's time: what "load" counts. */
export const OPEN_STATUSES = ['new', 'contacted', 'qualified'] as const;

/**
 * Who gets new leads, decided lead by lead within one transaction: the tenant's rules, the reps the caller
 * may hand leads to, unit names for the reasons, and the round-robin cursors (locked, so concurrent
 * captures in a tenant take turns instead of both going to the same rep). Open-lead counts and cursors move
 * on in memory as leads are placed, so a 10,000-row import spreads like 10,000 single captures.
 */
export interface Placer {
  /**
   * Where a new lead goes. `direct`: it can be created there under the caller's create scope; otherwise it
   * is created as the caller's and then assigned (the assign scope decides). `ownerId` given: that member.
   */
  place(lead: AssignmentLead, ownerId?: string | null): Promise<LeadPlacement & { direct: boolean }>;
  /** Persists the round-robin cursors that moved (same transaction as the leads). */
  saveCursors(): Promise<void>;
}

/**
 * Members who can work leads: they hold a role that may both create and update leads. Disabled members
 * are loaded too (as inactive) so a territory naming one explains why it was passed over.
 */
async function loadCandidates(data: DataAccess, trx: Knex): Promise<AssignmentCandidate[]> {
  const roles = (await data.unscoped('roles').select('id', 'permissions')) as Array<{
    id: string;
    permissions: string | string[];
  }>;
  const workRoles = roles
    .filter((r) => {
      const perms =
        typeof r.permissions === 'string' ? (JSON.parse(r.permissions) as string[]) : r.permissions;
      return (
        perms.some((p) => p.startsWith('leads:create:')) && perms.some((p) => p.startsWith('leads:update:'))
      );
    })
    .map((r) => r.id);
  if (workRoles.length === 0) return [];
  const members = (await data
    .unscoped('members as m')
    .whereIn('m.id', data.unscoped('role_grants').whereIn('role_id', workRoles).select('member_id'))
    .select('m.id', 'm.display_name', 'm.status')) as Array<{
    id: string;
    display_name: string;
    status: string;
  }>;
  const ids = members.map((m) => m.id);
  const memberships = ids.length
    ? ((await data
        .unscoped('memberships')
        .whereIn('member_id', ids)
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'unit_id', order: 'asc' },
        ])
        .select('member_id', 'unit_id')) as Array<{ member_id: string; unit_id: string }>)
    : [];
  const loads = await openLeadCounts(trx, data.tenantId, ids);
  return members.map((m) => ({
    id: m.id,
    name: m.display_name,
    unitIds: memberships.filter((x) => x.member_id === m.id).map((x) => x.unit_id),
    active: m.status === 'active',
    available: true,
    openLeads: loads.get(m.id) ?? 0,
  }));
}

/**
 * Open leads per member across the whole tenant. Balancing by load needs every rep's true count, not the
 * share the caller happens to see, so this one aggregate runs through the data-access layer as a read-only
 * system actor. It returns counts only, and only for the candidates.
 */
async function openLeadCounts(
  trx: Knex,
  tenantId: string,
  memberIds: string[],
): Promise<Map<string, number>> {
  if (memberIds.length === 0) return new Map();
  const system: Actor = {
    memberId: null,
    primaryUnitId: null,
    granted: [],
    // reads everything, writes nothing (the binding is read-only as well)
    scope: (_resource, action) => (action === 'read' ? ALL_SCOPE : NO_SCOPE),
    assignable: async () => 'no_such_member',
  };
  const counter = createDataAccess({ db: trx, tenantId, actor: system, readOnly: true });
  const rows = await counter.countBy(leadsTable, 'owner_id', (qb) =>
    qb
      .whereIn('leads.owner_id', memberIds)
      .whereIn('leads.status', OPEN_STATUSES)
      .whereNull('leads.merged_into_id'),
  );
  return new Map(rows.map((r) => [String(r.value), r.n]));
}

/** The units a scope lets a row's owner sit in (null: any). Mirrors the actor's assignable() check. */
function reachableUnits(scope: Scope): Set<string> | null {
  if (scope.all) return null;
  return new Set([...scope.units, ...(scope.own ? scope.ownUnits : [])]);
}

/**
 * Builds the placer for the caller. Candidates are cut down to the reps the caller may give a lead to (their
 * `leads:assign` scope), each with only the units that scope reaches; the caller is always a candidate for
 * their own leads. So a rep's rules can never place a lead outside the rep's scope: a pool or territory
 * outside it has nobody in it, and the reason says so.
 */
export async function createPlacer(
  data: DataAccess,
  trx: Knex,
  rules: AssignmentRules | null,
): Promise<Placer> {
  const { actor } = data;
  const me = actor.memberId;
  const assignScope = actor.scope('leads', 'assign');
  const createScope = actor.scope('leads', 'create');
  const reach = reachableUnits(assignScope);
  const mayAssign = assignScope.all || assignScope.own || assignScope.units.length > 0;

  let candidates: AssignmentCandidate[] = [];
  let units: OrgUnitRef[] = [];
  const cursors: Record<string, string> = {};
  const moved = new Map<string, string>();
  const memberUnits = new Map<string, string[]>();

  if (rules) {
    const all = await loadCandidates(data, trx);
    candidates = all
      .map((c) => ({ ...c, unitIds: reach ? c.unitIds.filter((u) => reach.has(u)) : c.unitIds }))
      .filter((c) => c.id === me || (mayAssign && (reach === null || c.unitIds.length > 0)));
    units = (await data.unscoped('org_units').select('id', 'name')) as OrgUnitRef[];
    const rows = (await data
      .unscoped('lead_assignment_cursors')
      .forUpdate()
      .select('pool', 'member_id')) as Array<{ pool: string; member_id: string }>;
    for (const r of rows) cursors[r.pool] = r.member_id;
    for (const c of candidates) memberUnits.set(c.id, [...c.unitIds]);
  }

  /** The owner's first unit the caller's scope reaches: where the lead lives, so the owner's team sees it. */
  const unitFor = async (ownerId: string): Promise<string | undefined> => {
    if (!memberUnits.has(ownerId)) {
      const rows = (await data
        .unscoped('memberships')
        .where({ member_id: ownerId })
        .orderBy([
          { column: 'created_at', order: 'asc' },
          { column: 'unit_id', order: 'asc' },
        ])
        .select('unit_id')) as Array<{ unit_id: string }>;
      memberUnits.set(
        ownerId,
        rows.map((r) => r.unit_id).filter((u) => reach === null || reach.has(u)),
      );
    }
    return memberUnits.get(ownerId)?.[0];
  };

  /** Can the lead be created right where it belongs, or must it be created as the caller's and then assigned? */
  const direct = (ownerId: string | null, unitId: string | undefined) => {
    if (ownerId === me && unitId === undefined) return true;
    const row = { owner_id: ownerId, unit_id: unitId ?? actor.primaryUnitId };
    if (!rowWritable(row, leadsTable, createScope, me)) return false;
    if (ownerId === me || ownerId === null || createScope.all) return true;
    const createReach = reachableUnits(createScope);
    return (memberUnits.get(ownerId) ?? []).some((u) => createReach?.has(u));
  };

  return {
    async place(lead, ownerId) {
      if (ownerId && ownerId !== me) {
        const unitId = await unitFor(ownerId);
        return {
          ownerId,
          unitId,
          strategy: 'manual',
          reason: 'Owner chosen when the lead was captured',
          direct: direct(ownerId, unitId),
        };
      }
      if (ownerId || !rules || me === null)
        return { ownerId: me, strategy: null, reason: null, direct: true };
      const a = assignLead(lead, { rules, candidates, units, cursors: cursors as RoundRobinCursors });
      if (a.cursor) {
        cursors[a.cursor.pool] = a.cursor.memberId;
        moved.set(a.cursor.pool, a.cursor.memberId);
      }
      if (a.ownerId === null)
        return {
          ownerId: me,
          strategy: a.strategy,
          reason: `${a.reason.replace(/; left unassigned$/, '')}; kept by its creator`,
          direct: true,
        };
      const winner = candidates.find((c) => c.id === a.ownerId);
      if (winner) winner.openLeads++;
      const unitId = a.unitId ?? (a.ownerId === me ? undefined : winner?.unitIds[0]);
      return {
        ownerId: a.ownerId,
        unitId,
        strategy: a.strategy,
        reason: a.reason,
        direct: direct(a.ownerId, unitId),
      };
    },
    async saveCursors() {
      if (moved.size === 0) return;
      const now = new Date();
      await data
        .unscoped('lead_assignment_cursors')
        .insert([...moved].map(([pool, member_id]) => ({ pool, member_id, updated_at: now })))
        .onConflict('pool')
        .merge(['member_id', 'updated_at']);
      moved.clear();
    },
  };
}
