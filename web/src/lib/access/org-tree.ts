/** The org tree as the settings screen shows it, built from the API's flat list (parents before children). */
export interface UnitLike {
  id: string;
  name: string;
  parentId: string | null;
}

export interface TreeNode<U extends UnitLike> {
  unit: U;
  children: TreeNode<U>[];
  level: number;
}

export function buildTree<U extends UnitLike>(units: readonly U[]): TreeNode<U>[] {
  const byParent = new Map<string | null, U[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    // a parent we cannot see: show the unit at the top rather than lose it
    const parent = u.parentId && ids.has(u.parentId) ? u.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), u]);
  }
  const build = (parent: string | null, level: number): TreeNode<U>[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((unit) => ({ unit, level, children: build(unit.id, level + 1) }));
  return build(null, 1);
}

/** The rows on screen, top to bottom: a collapsed node hides its subtree (what arrow keys move through). */
export function visibleNodes<U extends UnitLike>(
  roots: readonly TreeNode<U>[],
  expanded: ReadonlySet<string>,
): TreeNode<U>[] {
  const out: TreeNode<U>[] = [];
  const walk = (nodes: readonly TreeNode<U>[]) => {
    for (const n of nodes) {
      out.push(n);
      if (expanded.has(n.unit.id)) walk(n.children);
    }
  };
  walk(roots);
  return out;
}

/** The unit and everything below it: where it may not be moved to. */
export function subtreeIds(units: readonly UnitLike[], id: string): Set<string> {
  const out = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units) {
      if (u.parentId && out.has(u.parentId) && !out.has(u.id)) {
        out.add(u.id);
        grew = true;
      }
    }
  }
  return out;
}

/** "West › Phoenix › Phoenix Sales" for pickers. */
export function unitPath(units: readonly UnitLike[], id: string): string {
  const byId = new Map(units.map((u) => [u.id, u]));
  const names: string[] = [];
  for (let u = byId.get(id); u && names.length < 20; u = u.parentId ? byId.get(u.parentId) : undefined) {
    names.unshift(u.name);
  }
  return names.join(' › ');
}
