import type { Knex } from '@solar/common';
import { NO_SCOPE, type Action, type Scope, type ScopeLevel } from '../../engine/data/scope.js';
import { LEADING_POSITIONS, type Position } from './access-schema.js';

/** What one member may do, resolved from their grants and memberships; cached per tenant + member. */
export interface EffectivePermissions {
  memberId: string;
  /** first team the member belongs to (else first unit): where their new rows land by default */
  primaryUnitId: string | null;
  memberUnits: readonly string[];
  /** the granted permissions, as `resource:action:scope` (`@<unit id>` when granted within a unit) */
  granted: readonly string[];
  scope(resource: string, action: Action): Scope;
  /**
   * Units holding rows the member owns in `table` ('' for rows with no unit). Counted only for tables with a
   * unit closure (TableSpec.unitClosure); empty for any other.
   */
  ownedUnits(table: string): readonly string[];
}

interface GrantRow {
  role_id: string;
  unit_id: string | null;
  unit_path: string | null;
  permissions: string | string[];
}
interface MembershipRow {
  unit_id: string;
  position: Position;
  path: string;
  kind: string;
}

/**
 * Resolves a member's permissions. Scopes widen: own ⊂ unit ⊂ subtree ⊂ all.
 * - own: rows the member owns.
 * - unit: plus rows of the units the member belongs to (or, for a grant within unit U, of U).
 * - subtree: plus every unit below a unit where the member is lead/manager/director (or below U for a grant
 *   within U) — inheritance down the tree.
 * - all: every row (a grant within U is capped at U's subtree).
 */
export async function loadEffectivePermissions(db: Knex, memberId: string): Promise<EffectivePermissions> {
  const [grants, memberships, units, owned] = await Promise.all([
    db('role_grants as g')
      .join('roles as r', 'r.id', 'g.role_id')
      .leftJoin('org_units as u', 'u.id', 'g.unit_id')
      .where('g.member_id', memberId)
      .select('g.role_id', 'g.unit_id', 'u.path as unit_path', 'r.permissions') as Promise<GrantRow[]>,
    db('memberships as m')
      .join('org_units as u', 'u.id', 'm.unit_id')
      .where('m.member_id', memberId)
      .orderBy([
        { column: 'm.created_at', order: 'asc' },
        { column: 'm.unit_id', order: 'asc' },
      ])
      .select('m.unit_id', 'm.position', 'u.path', 'u.kind') as Promise<MembershipRow[]>,
    // the whole tree (a tenant's is small): subtrees, and whether a scope's units are whole subtrees
    db('org_units').select('id', 'path') as Promise<Array<{ id: string; path: string }>>,
    db('owned_units')
      .where({ owner_id: memberId })
      .where('row_count', '>', 0)
      .select('table_name', 'unit_id') as Promise<Array<{ table_name: string; unit_id: string }>>,
  ]);

  const memberUnits = memberships.map((m) => m.unit_id);
  const primaryUnitId = (memberships.find((m) => m.kind === 'team') ?? memberships[0])?.unit_id ?? null;
  const leadingPaths = memberships.filter((m) => LEADING_POSITIONS.has(m.position)).map((m) => m.path);

  // every subtree any grant may need, resolved in one query over the path index
  const roots = new Set<string>();
  const parsed = grants.flatMap((g) => {
    const list = typeof g.permissions === 'string' ? (JSON.parse(g.permissions) as string[]) : g.permissions;
    return list.map((p) => {
      const [resource, action, level] = p.split(':') as [string, Action, ScopeLevel];
      if (level === 'subtree' && !g.unit_path) leadingPaths.forEach((path) => roots.add(path));
      if ((level === 'subtree' || level === 'all') && g.unit_path) roots.add(g.unit_path);
      return { resource, action, level, unitId: g.unit_id, unitPath: g.unit_path, text: p };
    });
  });
  const subtree = new Map(
    [...roots].map((path) => [path, units.filter((u) => u.path.startsWith(path)).map((u) => u.id)]),
  );

  const acc = new Map<string, { all: boolean; own: boolean; units: Set<string> }>();
  for (const p of parsed) {
    const key = `${p.resource}:${p.action}`;
    const s = acc.get(key) ?? { all: false, own: false, units: new Set<string>() };
    acc.set(key, s);
    s.own = true;
    if (p.level === 'unit') (p.unitId ? [p.unitId] : memberUnits).forEach((u) => s.units.add(u));
    if (p.level === 'subtree') {
      if (p.unitPath) subtree.get(p.unitPath)?.forEach((u) => s.units.add(u));
      else {
        memberUnits.forEach((u) => s.units.add(u));
        leadingPaths.forEach((path) => subtree.get(path)?.forEach((u) => s.units.add(u)));
      }
    }
    if (p.level === 'all') {
      if (p.unitPath) subtree.get(p.unitPath)?.forEach((u) => s.units.add(u));
      else s.all = true;
    }
  }
  const wholeSubtrees = subtreeRootsIn(units);
  const scopes = new Map<string, Scope>();
  for (const [key, s] of acc)
    scopes.set(
      key,
      Object.freeze({
        all: s.all,
        own: s.own,
        units: Object.freeze([...s.units].sort()),
        unitRoots: wholeSubtrees(s.units),
        ownUnits: Object.freeze([...memberUnits]),
      }),
    );
  const ownedByTable = new Map<string, string[]>();
  for (const o of owned)
    ownedByTable.set(o.table_name, [...(ownedByTable.get(o.table_name) ?? []), o.unit_id]);

  return {
    memberId,
    primaryUnitId,
    memberUnits,
    granted: [...new Set(parsed.map((p) => (p.unitId ? `${p.text}@${p.unitId}` : p.text)))].sort(),
    scope: (resource, action) => scopes.get(`${resource}:${action}`) ?? NO_SCOPE,
    ownedUnits: (table) => ownedByTable.get(table) ?? [],
  };
}

/**
 * For the org `tree`: `units` as whole subtrees, if it is — the units in it whose parent is not, when every
 * child of a unit in it is in it too — else undefined (e.g. a unit scope on a branch, without its teams).
 * The tree is indexed once; each set then costs its size plus its units' children.
 */
function subtreeRootsIn(tree: ReadonlyArray<{ id: string; path: string }>) {
  const parentOf = new Map<string, string | undefined>();
  const childrenOf = new Map<string, string[]>();
  for (const u of tree) {
    const parent = u.path.split('/').at(-3) || undefined;
    parentOf.set(u.id, parent);
    if (parent) childrenOf.set(parent, [...(childrenOf.get(parent) ?? []), u.id]);
  }
  return (units: ReadonlySet<string>): readonly string[] | undefined => {
    if (!units.size) return undefined;
    const roots: string[] = [];
    for (const id of units) {
      if (!parentOf.has(id)) return undefined;
      if ((childrenOf.get(id) ?? []).some((child) => !units.has(child))) return undefined;
      const parent = parentOf.get(id);
      if (!parent || !units.has(parent)) roots.push(id);
    }
    return Object.freeze(roots.sort());
  };
}
