/** A tenant table as the data-access layer sees it: enough to apply row scope to every query. */
export interface TableSpec {
  name: string;
  /** Column holding the owning user's id; row scope `own` will filter on it. */
  ownerColumn?: string;
  /** Column holding the org unit; scopes `unit`/`subtree` will filter on it (none yet). */
  unitColumn?: string;
}

export function defineTable<T extends TableSpec>(spec: T): Readonly<T> {
  return Object.freeze(spec);
}
