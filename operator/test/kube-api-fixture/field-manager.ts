import { ApiError, type StatusCause } from './api-status.js';
import { clone, deepEqual, isObject, type JsonObject } from './json.js';

/**
 * A simplified but honest server-side-apply field ownership model.
 * - A field is a leaf path: a scalar, a list (lists are atomic), or an empty object.
 * - Each (manager, operation, subresource) owns a set of leaf paths, stored in metadata.managedFields as FieldsV1.
 * - Apply: conflicts when another manager owns a field the config sets to a different value (409 unless force);
 *   fields this manager applied before and now omits are removed unless someone else owns them.
 * - Create/update/patch: the changed fields move to the writing manager (operation Update).
 * Differences from the real thing: no list-map/set merging by key; `metadata` tracks labels, annotations,
 * finalizers and ownerReferences only.
 */

export type Scope = 'main' | 'status';

interface Entry {
  manager: string;
  operation: 'Apply' | 'Update';
  subresource?: 'status';
  apiVersion: string;
  time: string;
  fields: Set<string>;
}

interface Leaf {
  path: string[];
  value: unknown;
}

const trackedMetadata = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

export const nowSeconds = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The leaves a given scope covers: status alone for /status; everything else (minus bookkeeping) for main. */
export function scopedLeaves(obj: JsonObject, scope: Scope, statusSubresource: boolean): Map<string, Leaf> {
  const out = new Map<string, Leaf>();
  const walk = (value: unknown, path: string[]) => {
    if (isObject(value) && Object.keys(value).length > 0) {
      for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
    } else {
      out.set(JSON.stringify(path), { path, value });
    }
  };
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') {
      if (scope === 'status' || !isObject(value)) continue;
      for (const m of trackedMetadata) if (value[m] !== undefined) walk(value[m], ['metadata', m]);
      continue;
    }
    const inStatus = key === 'status';
    if (scope === 'status' ? inStatus : !(inStatus && statusSubresource)) walk(value, [key]);
  }
  return out;
}

function toFieldsV1(fields: Set<string>): JsonObject {
  const root: JsonObject = {};
  for (const f of fields) {
    let cur = root;
    for (const seg of JSON.parse(f) as string[]) {
      const k = `f:${seg}`;
      cur[k] ??= {};
      cur = cur[k] as JsonObject;
    }
  }
  return root;
}

function fromFieldsV1(v: unknown, path: string[] = [], out = new Set<string>()): Set<string> {
  if (!isObject(v)) return out;
  const keys = Object.keys(v).filter((k) => k.startsWith('f:'));
  if (keys.length === 0 && path.length > 0) out.add(JSON.stringify(path));
  for (const k of keys) fromFieldsV1(v[k], [...path, k.slice(2)], out);
  return out;
}

export function readEntries(meta: JsonObject): Entry[] {
  const raw = Array.isArray(meta.managedFields) ? meta.managedFields : [];
  return raw.filter(isObject).map((e) => ({
    manager: String(e.manager),
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    ...(e.subresource === 'status' ? { subresource: 'status' as const } : {}),
    apiVersion: String(e.apiVersion),
    time: String(e.time),
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

export function writeEntries(meta: JsonObject, entries: Entry[]): void {
  const kept = entries.filter((e) => e.fields.size > 0);
  if (kept.length === 0) {
    delete meta.managedFields;
    return;
  }
  meta.managedFields = kept.map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    time: e.time,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
}

const inScope = (e: Entry, scope: Scope) => (scope === 'status') === (e.subresource === 'status');

function entryFor(
  entries: Entry[],
  manager: string,
  operation: Entry['operation'],
  scope: Scope,
  apiVersion: string,
) {
  let e = entries.find((x) => x.manager === manager && x.operation === operation && inScope(x, scope));
  if (!e) {
    e = {
      manager,
      operation,
      ...(scope === 'status' ? { subresource: 'status' as const } : {}),
      apiVersion,
      time: nowSeconds(),
      fields: new Set(),
    };
    entries.push(e);
  }
  e.time = nowSeconds();
  e.apiVersion = apiVersion;
  return e;
}

function getPath(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const seg of path) cur = isObject(cur) ? cur[seg] : undefined;
  return cur;
}

/** Deletes a field, then any parent objects it leaves empty (unless someone owns that empty object). */
function deletePath(obj: JsonObject, path: string[], ownedElsewhere: (key: string) => boolean): void {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = getPath(obj, path.slice(0, depth - 1));
    const key = path[depth - 1] ?? '';
    if (!isObject(parent)) return;
    const value = parent[key];
    const emptyObject = isObject(value) && Object.keys(value).length === 0;
    if (depth < path.length && (!emptyObject || ownedElsewhere(JSON.stringify(path.slice(0, depth))))) return;
    delete parent[key];
  }
}

/** Objects merge key by key; scalars and lists replace (lists are atomic in this model). */
function deepMerge(base: unknown, overlay: unknown): unknown {
  if (!isObject(overlay) || !isObject(base)) return clone(overlay);
  const out = clone(base);
  for (const [k, v] of Object.entries(overlay)) out[k] = deepMerge(out[k], v);
  return out;
}

/** Records which fields a non-apply write changed; call with the object before and after the write. */
export function recordUpdate(
  before: JsonObject | undefined,
  after: JsonObject,
  manager: string,
  scope: Scope,
  statusSubresource: boolean,
  apiVersion: string,
): void {
  const meta = after.metadata as JsonObject;
  const entries = readEntries(meta);
  const oldLeaves = before ? scopedLeaves(before, scope, statusSubresource) : new Map<string, Leaf>();
  const newLeaves = scopedLeaves(after, scope, statusSubresource);
  const changed = [...newLeaves].filter(
    ([k, l]) => !oldLeaves.has(k) || !deepEqual(oldLeaves.get(k)?.value, l.value),
  );
  if (changed.length > 0) {
    for (const e of entries) for (const [k] of changed) e.fields.delete(k);
    const mine = entryFor(entries, manager, 'Update', scope, apiVersion);
    for (const [k] of changed) mine.fields.add(k);
  }
  // Fields that no longer exist (removed, or turned from a leaf into an object) lose their owners.
  for (const e of entries) {
    if (!inScope(e, scope)) continue;
    for (const k of e.fields) if (!newLeaves.has(k)) e.fields.delete(k);
  }
  writeEntries(meta, entries);
}

/**
 * Server-side apply of `config` onto `live` (undefined when the object does not exist yet).
 * Returns the merged object; throws 409 with one cause per conflicting field unless `force`.
 */
export function applyConfig(opts: {
  live: JsonObject | undefined;
  config: JsonObject;
  manager: string;
  force: boolean;
  scope: Scope;
  statusSubresource: boolean;
  apiVersion: string;
}): JsonObject {
  const { live, config, manager, force, scope, statusSubresource, apiVersion } = opts;
  const base: JsonObject = live ? clone(live) : { metadata: {} };
  const meta = base.metadata as JsonObject;
  const entries = readEntries(meta);
  const applied = scopedLeaves(config, scope, statusSubresource);

  const conflicts: { manager: string; leaf: Leaf }[] = [];
  for (const e of entries) {
    if (e.manager === manager || !inScope(e, scope)) continue;
    for (const [k, leaf] of applied) {
      if (e.fields.has(k) && !deepEqual(getPath(base, leaf.path), leaf.value))
        conflicts.push({ manager: e.manager, leaf });
    }
  }
  if (conflicts.length > 0 && !force) {
    const causes: StatusCause[] = conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}"`,
      field: `.${c.leaf.path.join('.')}`,
    }));
    const noun = conflicts.length === 1 ? 'conflict' : 'conflicts';
    throw new ApiError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} ${noun}: ${causes.map((c) => `${c.message}: ${c.field}`).join(', ')}`,
      { causes },
    );
  }
  for (const c of conflicts) {
    for (const e of entries) if (e.manager === c.manager) e.fields.delete(JSON.stringify(c.leaf.path));
  }

  const mine = entryFor(entries, manager, 'Apply', scope, apiVersion);
  // What this manager applied last time but omits now is removed, unless another manager also owns it.
  for (const k of mine.fields) {
    if (applied.has(k)) continue;
    const ownedElsewhere = (key: string) =>
      entries.some((e) => e !== mine && inScope(e, scope) && e.fields.has(key));
    if (!ownedElsewhere(k)) deletePath(base, JSON.parse(k) as string[], ownedElsewhere);
  }
  mine.fields = new Set(applied.keys());

  // Merge only the scoped part of the config; the rest (apiVersion, kind, name) is identity, not content.
  const scoped: JsonObject = {};
  for (const leaf of applied.values()) {
    let cur = scoped;
    leaf.path.slice(0, -1).forEach((seg) => {
      if (!isObject(cur[seg])) cur[seg] = {};
      cur = cur[seg] as JsonObject;
    });
    cur[leaf.path[leaf.path.length - 1] ?? ''] = clone(leaf.value);
  }
  const merged = deepMerge(base, scoped) as JsonObject;
  writeEntries(merged.metadata as JsonObject, entries);
  return merged;
}
