/** A tenant table as the data-access layer sees it: enough to apply row scope to every query. */
export interface TableSpec {
  name: string;
  /**
   * The permission resource guarding the rows (`leads` → `leads:read:own` …). A table with a resource is
   * row-scoped: every query on it must come through the data-access layer, and the scope guard refuses any
   * that does not (outside production).
   */
  resource?: string;
  /** Column holding the owning member's id; scope `own` filters on it. */
  ownerColumn?: string;
  /** Column holding the owning org unit; scopes `unit`/`subtree` filter on it. */
  unitColumn?: string;
  /**
   * An index on (id DESC, unit, owner), if the table has one: newest-first pages under a wide scope walk it
   * and check the scope inside the index, reading only rows that pass (see `pageNewestFirst`).
   */
  newestFirstScopeIndex?: string;
  /**
   * `<table>_in_units` (unit_id, row_id) for every unit a row sits in or under, kept by triggers (migration
   * 20261203_110_unit_closure), which also count each member's owned rows per unit: a newest-first page for
   * a scope of whole subtrees walks it, one key per subtree root.
   */
  unitClosure?: string;
}

/** A table whose rows are scoped by owner and unit. */
export interface ScopedTableSpec extends TableSpec {
  resource: string;
  ownerColumn: string;
  unitColumn: string;
}

export function defineTable<T extends TableSpec>(spec: T): Readonly<T> {
  return Object.freeze(spec);
}

export function isScoped(table: TableSpec): table is ScopedTableSpec {
  return table.resource !== undefined && table.ownerColumn !== undefined && table.unitColumn !== undefined;
}
