/** A rep who could receive leads, as the caller loads them (members + their open-lead counts). */
export interface AssignmentCandidate {
  id: string;
  name: string;
  /** org units the member belongs to (the caller expands sub-units if pools should include them) */
  unitIds: readonly string[];
  /** false when the membership is disabled */
  active: boolean;
  /** false while on leave / out of office / opted out of new leads */
  available: boolean;
  openLeads: number;
  /** at most this many open leads; absent = no cap */
  maxOpenLeads?: number | null;
}

export interface OrgUnitRef {
  id: string;
  name: string;
}

/** Why a member cannot take a lead now, or null when they can. */
export function ineligibility(c: AssignmentCandidate): string | null {
  if (!c.active) return 'disabled';
  if (!c.available) return 'unavailable';
  if (c.maxOpenLeads != null && c.openLeads >= c.maxOpenLeads) return `at capacity (${c.openLeads} open)`;
  return null;
}

/** Members of the pool (one unit, or everyone when unitId is absent), ordered by id so the order is stable. */
export function poolMembers(
  candidates: readonly AssignmentCandidate[],
  unitId: string | undefined,
): AssignmentCandidate[] {
  return candidates
    .filter((c) => unitId === undefined || c.unitIds.includes(unitId))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function poolLabel(units: readonly OrgUnitRef[], unitId: string | undefined): string {
  if (unitId === undefined) return 'all reps';
  return units.find((u) => u.id === unitId)?.name ?? `unit ${unitId}`;
}
