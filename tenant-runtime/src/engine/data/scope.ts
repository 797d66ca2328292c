/*
 * What a caller may touch, as the data-access layer needs it. The access module computes these from the
 * member's roles, grants and memberships (modules/access/effective-permissions.ts); the layer only applies them.
 */

export const ACTIONS = ['read', 'create', 'update', 'delete', 'assign', 'export', 'manage'] as const;
export type Action = (typeof ACTIONS)[number];
export const SCOPE_LEVELS = ['own', 'unit', 'subtree', 'all'] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

/**
 * The rows one permission (resource + action) reaches. Reading: `all`, or owner = me (`own`), or owning unit
 * in `units`. Writing (the row as it will be stored): `all`, or owning unit in `units`, or owner = me with
 * no unit or one of the units I belong to (`ownUnits`) — so "own" never lets a row leave my teams.
 */
export interface Scope {
  all: boolean;
  own: boolean;
  units: readonly string[];
  /**
   * `units` as whole subtrees (each root with every unit below it), when it is: a page can then look the
   * rows up by root in a table's unit closure. Absent when `units` is not whole subtrees.
   */
  unitRoots?: readonly string[] | undefined;
  /** the units the member belongs to; where rows they own may live */
  ownUnits: readonly string[];
}

export const NO_SCOPE: Scope = Object.freeze({ all: false, own: false, units: [], ownUnits: [] });
export const ALL_SCOPE: Scope = Object.freeze({ all: true, own: true, units: [], ownUnits: [] });

export const isEmptyScope = (s: Scope) => !s.all && !s.own && s.units.length === 0;

/** Whether a new owner may hold a row the actor writes with `scope`. */
export type Assignability = 'ok' | 'no_such_member' | 'out_of_scope';

/** The caller as the data-access layer sees them: who they are and what each permission reaches. */
export interface Actor {
  /** the member id (platform identity id); null for callers that are not members (e.g. machine tokens) */
  memberId: string | null;
  /** default owning unit of rows the actor creates: their first team, else their first unit */
  primaryUnitId: string | null;
  scope(resource: string, action: Action): Scope;
  /** the granted permissions as `resource:action:scope` (`@<unit id>` when granted within a unit) */
  granted: readonly string[];
  /** May `ownerId` own a row written under `scope`? (active member; within scope unless scope is all) */
  assignable(ownerId: string, scope: Scope): Promise<Assignability>;
  /**
   * Units holding rows the actor owns in `table` ('' for none); known only for tables with a unit closure.
   * A page needs no "owner = me" branch when they all lie within the scope's units.
   */
  ownedUnits?(table: string): readonly string[];
}

/** The scope of reading with `action` too: a row must be visible AND within the action's scope. */
export function intersect(a: Scope, b: Scope): Scope {
  if (a.all) return b;
  if (b.all) return a;
  const inB = new Set(b.units);
  return {
    all: false,
    // a row I own is in both when each reaches it by ownership or by its unit
    own: a.own && b.own,
    units: a.units.filter((u) => inB.has(u)),
    ownUnits: a.ownUnits,
  };
}

/** JS twin of the SQL read predicate (row-scope.ts), for rows already loaded. */
export function rowVisible(
  row: Record<string, unknown>,
  cols: { ownerColumn: string; unitColumn: string },
  scope: Scope,
  memberId: string | null,
): boolean {
  if (scope.all) return true;
  if (scope.own && memberId !== null && row[cols.ownerColumn] === memberId) return true;
  const unit = row[cols.unitColumn];
  return typeof unit === 'string' && scope.units.includes(unit);
}

/** May a row be stored like this (created, or changed into this) under `scope`? */
export function rowWritable(
  row: Record<string, unknown>,
  cols: { ownerColumn: string; unitColumn: string },
  scope: Scope,
  memberId: string | null,
): boolean {
  if (scope.all) return true;
  const unit = row[cols.unitColumn];
  if (typeof unit === 'string' && scope.units.includes(unit)) return true;
  const mine = scope.own && memberId !== null && row[cols.ownerColumn] === memberId;
  return mine && (unit === null || unit === undefined || scope.ownUnits.includes(unit as string));
}
