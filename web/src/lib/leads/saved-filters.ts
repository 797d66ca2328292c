import { parseStatusFilter, type LeadStatus } from './lead.js';

/** A named search + status filter, kept in this browser (the URL carries the active one). */
export interface SavedFilter {
  name: string;
  q: string;
  statuses: LeadStatus[];
}

const KEY = 'solar.leads.saved-filters';
const MAX = 12;

// Checked by hand rather than with zod: this runs in the browser, and zod would weigh on every leads page.
function isStored(value: unknown): value is { name: string; q: string; statuses: string[] }[] {
  return (
    Array.isArray(value) &&
    value.every(
      (f: { name?: unknown; q?: unknown; statuses?: unknown }) =>
        typeof f === 'object' &&
        f !== null &&
        typeof f.name === 'string' &&
        f.name.length > 0 &&
        f.name.length <= 60 &&
        typeof f.q === 'string' &&
        f.q.length <= 100 &&
        Array.isArray(f.statuses) &&
        f.statuses.every((s) => typeof s === 'string'),
    )
  );
}

/** Minimal Storage, so tests pass a Map-backed one. */
export type KeyValueStore = Pick<Storage, 'getItem' | 'setItem'>;

/** The saved filters of `tenant`, tolerating anything odd in storage (another version, a hand edit). */
export function loadSavedFilters(store: KeyValueStore, tenant: string): SavedFilter[] {
  try {
    const parsed: unknown = JSON.parse(store.getItem(`${KEY}:${tenant}`) ?? '[]');
    if (!isStored(parsed)) return [];
    return parsed.map((f) => ({ name: f.name, q: f.q, statuses: parseStatusFilter(f.statuses) }));
  } catch {
    return [];
  }
}

/** Adds or replaces (by name) a filter, newest first, at most 12; answers the new list. */
export function saveFilter(store: KeyValueStore, tenant: string, filter: SavedFilter): SavedFilter[] {
  const name = filter.name.trim().slice(0, 60);
  if (!name) return loadSavedFilters(store, tenant);
  const list = [{ ...filter, name }, ...loadSavedFilters(store, tenant).filter((f) => f.name !== name)].slice(
    0,
    MAX,
  );
  store.setItem(`${KEY}:${tenant}`, JSON.stringify(list));
  return list;
}

export function removeFilter(store: KeyValueStore, tenant: string, name: string): SavedFilter[] {
  const list = loadSavedFilters(store, tenant).filter((f) => f.name !== name);
  store.setItem(`${KEY}:${tenant}`, JSON.stringify(list));
  return list;
}
