import { randomBytes, randomUUID } from 'node:crypto';
import {
  alreadyExists,
  ApiError,
  badRequest,
  conflict,
  invalid,
  notFound,
  type StatusCause,
} from './api-status.js';
import { applyConfig, nowSeconds, recordUpdate, type Scope } from './field-manager.js';
import { child, clone, deepEqual, isObject, type JsonObject } from './json.js';
import { jsonPatch, mergePatch } from './patches.js';
import { apiVersionOf, type ResourceType } from './resources.js';

/** One change, as a watch sees it. `previous` lets label-selector watches turn edits into ADDED/DELETED. */
export interface StoredEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: JsonObject;
  previous?: JsonObject;
}

export interface WriteOptions {
  manager: string;
  scope: Scope;
}

export type PatchType = 'merge' | 'json' | 'apply';

/** Metadata only the server sets; whatever a client sends for these is replaced. */
const systemMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'managedFields',
] as const;

const meta = (obj: JsonObject) => obj.metadata as JsonObject;
const finalizersOf = (obj: JsonObject) => (meta(obj).finalizers as string[] | undefined) ?? [];

/** Everything but metadata and status: the part whose change bumps metadata.generation. */
function specPart(obj: JsonObject): JsonObject {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

/** For no-op detection: the object minus what the server rewrites on every write (RV, ownership timestamps). */
function comparable(obj: JsonObject): JsonObject {
  const c = clone(obj);
  const m = meta(c);
  delete m.resourceVersion;
  if (Array.isArray(m.managedFields))
    m.managedFields = m.managedFields.map((e: JsonObject) => ({ ...e, time: '' }));
  return c;
}

/**
 * The fixture's etcd + registry: objects by resource/namespace/name, one global resourceVersion counter,
 * a bounded event history for watches, finalizers, and owner-reference garbage collection.
 */
export class ObjectStore {
  private rv = 0;
  private readonly objects = new Map<string, { resource: ResourceType; obj: JsonObject }>();
  private history: StoredEvent[] = [];
  /** Events with rv <= this are gone; a watch from an older resourceVersion gets 410 Gone. */
  private compactedThrough = 0;
  private readonly listeners = new Set<(ev: StoredEvent) => void>();
  /** Deletion propagation chosen at DELETE time, applied when the object finally goes away. */
  private readonly propagation = new Map<string, string>();

  constructor(
    private readonly historyLimit: number,
    private readonly namespaceType: ResourceType,
  ) {}

  get resourceVersion(): number {
    return this.rv;
  }

  private key(r: ResourceType, namespace: string | undefined, name: string): string {
    return `${r.group}/${r.plural}/${r.namespaced ? (namespace ?? '') : ''}/${name}`;
  }

  find(r: ResourceType, namespace: string | undefined, name: string): JsonObject | undefined {
    const e = this.objects.get(this.key(r, namespace, name));
    return e ? clone(e.obj) : undefined;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): JsonObject {
    const obj = this.find(r, namespace, name);
    if (!obj) throw notFound(r, name);
    return obj;
  }

  list(r: ResourceType, namespace?: string): JsonObject[] {
    const out: JsonObject[] = [];
    for (const { resource, obj } of this.objects.values()) {
      if (resource !== r) continue;
      if (namespace !== undefined && meta(obj).namespace !== namespace) continue;
      out.push(clone(obj));
    }
    const sortKey = (o: JsonObject) => `${String(meta(o).namespace ?? '')}/${String(meta(o).name)}`;
    return out.sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }

  subscribe(fn: (ev: StoredEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Events after `rv`, or 'expired' when history no longer reaches back that far. */
  eventsSince(rv: number): StoredEvent[] | 'expired' {
    if (rv < this.compactedThrough) return 'expired';
    return this.history.filter((e) => e.rv > rv);
  }

  get oldestAvailable(): number {
    return this.compactedThrough + 1;
  }

  /** Test hook: forget all history, as etcd compaction does. */
  compact(): void {
    this.history = [];
    this.compactedThrough = this.rv;
  }

  private emit(type: StoredEvent['type'], resource: ResourceType, object: JsonObject, previous?: JsonObject) {
    const ev: StoredEvent = {
      rv: this.rv,
      type,
      resource,
      object: clone(object),
      ...(previous ? { previous } : {}),
    };
    this.history.push(ev);
    while (this.history.length > this.historyLimit) {
      const dropped = this.history.shift();
      if (dropped) this.compactedThrough = dropped.rv;
    }
    for (const l of this.listeners) l(ev);
  }

  private checkIdentity(r: ResourceType, body: JsonObject): void {
    if (body.apiVersion !== undefined && body.apiVersion !== apiVersionOf(r)) {
      throw badRequest(
        `the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersionOf(r)})`,
      );
    }
    if (body.kind !== undefined && body.kind !== r.kind) {
      throw badRequest(
        `the kind in the data (${String(body.kind)}) does not match the expected kind (${r.kind})`,
      );
    }
  }

  /** Prune, default and validate custom resources against their CRD schema: 422 with causes on failure. */
  private admit(r: ResourceType, name: string, obj: JsonObject, old?: JsonObject): void {
    const causes: StatusCause[] = [];
    if (old && finalizersOf(obj).some((f) => !finalizersOf(old).includes(f)) && meta(old).deletionTimestamp) {
      causes.push({
        reason: 'FieldValueForbidden',
        field: 'metadata.finalizers',
        message: 'Forbidden: no new finalizers can be added if the object is being deleted',
      });
    }
    if (r.schema) {
      r.schema.prune(obj);
      r.schema.applyDefaults(obj);
      causes.push(...r.schema.validate(obj, old));
    }
    if (causes.length > 0) throw invalid(r, name, causes);
  }

  private checkNamespace(r: ResourceType, namespace: string | undefined): void {
    if (!r.namespaced) return;
    const ns = this.find(this.namespaceType, undefined, namespace ?? '');
    if (!ns) throw notFound(this.namespaceType, namespace ?? '');
    if (meta(ns).deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${r.qualified} "${String(namespace)}" is forbidden: unable to create new content in namespace ${String(namespace)} because it is being terminated`,
      );
    }
  }

  create(r: ResourceType, namespace: string | undefined, body: JsonObject, opts: WriteOptions): JsonObject {
    this.checkIdentity(r, body);
    const obj = clone(body);
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    const m = isObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
    if (!m.name && typeof m.generateName === 'string')
      m.name = `${m.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    if (typeof m.name !== 'string' || m.name === '') {
      throw invalid(r, '', [
        {
          reason: 'FieldValueRequired',
          field: 'metadata.name',
          message: 'Required value: name or generateName is required',
        },
      ]);
    }
    if (r.namespaced) {
      if (m.namespace !== undefined && m.namespace !== namespace) {
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      m.namespace = namespace;
    } else delete m.namespace;
    for (const k of systemMetadata) delete m[k];
    // With a status subresource, status is written through /status only, never on create.
    if (r.statusSubresource) delete obj.status;
    recordUpdate(undefined, obj, opts.manager, 'main', r.statusSubresource, apiVersionOf(r));
    return this.insert(r, obj);
  }

  private insert(r: ResourceType, obj: JsonObject): JsonObject {
    const m = meta(obj);
    const name = String(m.name);
    const namespace = m.namespace as string | undefined;
    this.checkNamespace(r, namespace);
    if (this.objects.has(this.key(r, namespace, name))) throw alreadyExists(r, name);
    this.admit(r, name, obj);
    m.uid = randomUUID();
    m.creationTimestamp = nowSeconds();
    m.generation = 1;
    m.resourceVersion = String(++this.rv);
    this.objects.set(this.key(r, namespace, name), { resource: r, obj: clone(obj) });
    this.emit('ADDED', r, obj);
    return obj;
  }

  /** PUT on the main endpoint or /status. */
  replace(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    body: JsonObject,
    opts: WriteOptions,
  ): JsonObject {
    this.checkIdentity(r, body);
    const existing = this.get(r, namespace, name);
    const m = isObject(body.metadata) ? body.metadata : {};
    if (m.name !== undefined && m.name !== name) {
      throw badRequest(
        `the name of the object (${String(m.name)}) does not match the name on the URL (${name})`,
      );
    }
    const rv = m.resourceVersion;
    if (rv === undefined || rv === '') {
      if (r.requireResourceVersionOnUpdate) {
        throw invalid(r, name, [
          {
            reason: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]);
      }
    } else if (rv !== meta(existing).resourceVersion) throw conflict(r, name);
    let next: JsonObject;
    if (opts.scope === 'status') {
      next = { ...clone(existing), status: clone(body.status) };
      if (body.status === undefined) delete next.status;
    } else {
      next = { ...clone(body), apiVersion: apiVersionOf(r), kind: r.kind, metadata: clone(m) };
      if (r.statusSubresource) {
        if (existing.status === undefined) delete next.status;
        else next.status = clone(existing.status);
      }
    }
    return this.update(r, existing, next, opts, true);
  }

  patch(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    opts: WriteOptions & { force: boolean },
  ): { obj: JsonObject; created: boolean } {
    const existing = this.find(r, namespace, name);
    if (type === 'apply') return this.apply(r, namespace, name, existing, body, opts);
    if (!existing) throw notFound(r, name);
    let patched: unknown;
    if (type === 'merge') {
      const pm = child(body, 'metadata');
      if (pm?.resourceVersion !== undefined && pm.resourceVersion !== meta(existing).resourceVersion) {
        throw conflict(r, name);
      }
      patched = mergePatch(existing, body);
    } else patched = jsonPatch(existing, body);
    if (!isObject(patched) || !isObject(patched.metadata))
      throw badRequest('patch must leave an object with metadata');
    const next: JsonObject = opts.scope === 'status' ? { ...existing, status: patched.status } : patched;
    if (next.status === undefined) delete next.status;
    if (opts.scope === 'main' && r.statusSubresource) {
      if (existing.status === undefined) delete next.status;
      else next.status = clone(existing.status);
    }
    // A patch may not rename or move the object.
    const nm = meta(next);
    if (nm.name !== name || (r.namespaced && nm.namespace !== namespace))
      throw badRequest('a patch may not change metadata.name or metadata.namespace');
    return { obj: this.update(r, existing, next, opts, true), created: false };
  }

  private apply(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    existing: JsonObject | undefined,
    body: unknown,
    opts: WriteOptions & { force: boolean },
  ): { obj: JsonObject; created: boolean } {
    if (!isObject(body)) throw badRequest('apply configuration must be an object');
    if (body.apiVersion === undefined || body.kind === undefined) {
      throw badRequest('apply configuration must include apiVersion and kind');
    }
    this.checkIdentity(r, body);
    const cm = child(body, 'metadata');
    if (cm?.name !== undefined && cm.name !== name) {
      throw badRequest(
        `the name of the object (${String(cm.name)}) does not match the name on the URL (${name})`,
      );
    }
    if (!existing && opts.scope === 'status') throw notFound(r, name);
    // a resourceVersion in the configuration is a precondition, as on any write (kubernetes#63104)
    if (
      cm?.resourceVersion !== undefined &&
      cm.resourceVersion !== (existing && meta(existing).resourceVersion)
    )
      throw conflict(r, name);
    const merged = applyConfig({
      live: existing,
      config: body,
      manager: opts.manager,
      force: opts.force,
      scope: opts.scope,
      statusSubresource: r.statusSubresource,
      apiVersion: apiVersionOf(r),
    });
    if (!existing) {
      merged.apiVersion = apiVersionOf(r);
      merged.kind = r.kind;
      const m = meta(merged);
      m.name = name;
      if (r.namespaced) m.namespace = namespace;
      if (r.statusSubresource) delete merged.status;
      return { obj: this.insert(r, merged), created: true };
    }
    let next = merged;
    if (opts.scope === 'status') {
      next = { ...clone(existing), status: merged.status };
      meta(next).managedFields = meta(merged).managedFields;
    } else if (r.statusSubresource) {
      if (existing.status === undefined) delete next.status;
      else next.status = clone(existing.status);
    }
    return { obj: this.update(r, existing, next, opts, false), created: false };
  }

  /** The shared tail of every update: keep server-owned metadata, admit, bump generation/RV, emit. */
  private update(
    r: ResourceType,
    existing: JsonObject,
    next: JsonObject,
    opts: WriteOptions,
    record: boolean,
  ): JsonObject {
    const em = meta(existing);
    const nm = meta(next);
    const name = String(em.name);
    for (const k of systemMetadata) {
      if (k === 'managedFields' && !record) continue;
      if (em[k] === undefined) delete nm[k];
      else nm[k] = clone(em[k]);
    }
    nm.name = em.name;
    if (r.namespaced) nm.namespace = em.namespace;
    else delete nm.namespace;
    this.admit(r, name, next, existing);
    if (record) recordUpdate(existing, next, opts.manager, opts.scope, r.statusSubresource, apiVersionOf(r));
    if (!deepEqual(specPart(existing), specPart(next))) nm.generation = Number(em.generation ?? 0) + 1;
    // A write that changes nothing is not a change: same resourceVersion, no watch event (as the API server).
    if (deepEqual(comparable(existing), comparable(next))) return existing;
    nm.resourceVersion = String(++this.rv);
    this.objects.set(this.key(r, nm.namespace as string | undefined, name), {
      resource: r,
      obj: clone(next),
    });
    this.emit('MODIFIED', r, next, existing);
    if (nm.deletionTimestamp && finalizersOf(next).length === 0) this.removeNow(r, next);
    return next;
  }

  /**
   * DELETE: with finalizers the object only gets a deletionTimestamp (202); without, it is removed (200).
   * Dependents are collected in the background once the owner is really gone.
   */
  delete(
    r: ResourceType,
    namespace: string | undefined,
    name: string,
    opts: { propagationPolicy?: string; preconditionRv?: string; manager: string },
  ): { obj: JsonObject; code: 200 | 202 } {
    const existing = this.get(r, namespace, name);
    const em = meta(existing);
    if (opts.preconditionRv !== undefined && opts.preconditionRv !== em.resourceVersion)
      throw conflict(r, name);
    this.propagation.set(String(em.uid), opts.propagationPolicy ?? 'Background');
    const isNamespace = r === this.namespaceType;
    const hasContent = isNamespace && [...this.objects.values()].some((e) => meta(e.obj).namespace === name);
    if (finalizersOf(existing).length === 0 && !hasContent) {
      return { obj: this.removeNow(r, existing), code: 200 };
    }
    if (em.deletionTimestamp) return { obj: existing, code: 202 };
    const next = clone(existing);
    meta(next).deletionTimestamp = nowSeconds();
    meta(next).deletionGracePeriodSeconds = 0;
    if (isNamespace) next.status = { ...(isObject(next.status) ? next.status : {}), phase: 'Terminating' };
    meta(next).resourceVersion = String(++this.rv);
    this.objects.set(this.key(r, namespace, name), { resource: r, obj: clone(next) });
    this.emit('MODIFIED', r, next, existing);
    if (isNamespace) setImmediate(() => this.emptyNamespace(name));
    // The namespace controller answers 200 with the terminating namespace; everything else answers 202.
    return { obj: next, code: isNamespace ? 200 : 202 };
  }

  private removeNow(r: ResourceType, obj: JsonObject): JsonObject {
    const m = meta(obj);
    const gone = clone(obj);
    meta(gone).resourceVersion = String(++this.rv);
    this.objects.delete(this.key(r, m.namespace as string | undefined, String(m.name)));
    this.emit('DELETED', r, gone);
    const uid = String(m.uid);
    const policy = this.propagation.get(uid) ?? 'Background';
    this.propagation.delete(uid);
    setImmediate(() => this.collectDependents(uid, policy));
    const ns = m.namespace as string | undefined;
    if (ns !== undefined) this.finishNamespaceIfEmpty(ns);
    return gone;
  }

  private emptyNamespace(ns: string): void {
    for (const { resource, obj } of [...this.objects.values()]) {
      if (meta(obj).namespace !== ns) continue;
      const name = String(meta(obj).name);
      if (this.find(resource, ns, name)) this.delete(resource, ns, name, { manager: 'namespace-controller' });
    }
    this.finishNamespaceIfEmpty(ns);
  }

  private finishNamespaceIfEmpty(ns: string): void {
    const nsObj = this.find(this.namespaceType, undefined, ns);
    if (!nsObj || !meta(nsObj).deletionTimestamp || finalizersOf(nsObj).length > 0) return;
    if ([...this.objects.values()].some((e) => meta(e.obj).namespace === ns)) return;
    this.removeNow(this.namespaceType, nsObj);
  }

  /** The garbage collector: dependents whose every owner is gone are deleted (or orphaned on request). */
  private collectDependents(ownerUid: string, policy: string): void {
    const liveUids = new Set([...this.objects.values()].map((e) => String(meta(e.obj).uid)));
    for (const { resource, obj } of [...this.objects.values()]) {
      const refs = (meta(obj).ownerReferences as JsonObject[] | undefined) ?? [];
      if (!refs.some((ref) => ref.uid === ownerUid)) continue;
      const m = meta(obj);
      const ns = m.namespace as string | undefined;
      const name = String(m.name);
      const remaining = refs.filter((ref) => ref.uid !== ownerUid);
      if (policy === 'Orphan' || remaining.some((ref) => liveUids.has(String(ref.uid)))) {
        const next = clone(obj);
        if (remaining.length > 0) meta(next).ownerReferences = remaining;
        else delete meta(next).ownerReferences;
        this.update(resource, obj, next, { manager: 'garbage-collector', scope: 'main' }, true);
      } else if (!m.deletionTimestamp) {
        this.delete(resource, ns, name, { manager: 'garbage-collector' });
      }
    }
  }
}
