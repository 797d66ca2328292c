import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { ApiError, badRequest, expired } from './api-status.js';
import { isObject, type JsonObject } from './json.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { labelsOf, parseFieldSelector, parseLabelSelector } from './selectors.js';
import type { ObjectStore, PatchType, StoredEvent } from './store.js';

/** Where a request points after routing. */
interface Target {
  resource: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

const maxBodyBytes = 3 * 1024 * 1024;

const patchTypes: Record<string, PatchType> = {
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'merge',
  'application/json-patch+json': 'json',
  'application/apply-patch+yaml': 'apply',
};

/** A write about to be served: what tests may step in before (see KubeApiFixture.beforeNextWrite). */
export interface PendingWrite {
  method: string;
  resource: string;
  namespace: string | undefined;
  name: string | undefined;
  manager: string;
}

export interface ServerOptions {
  store: ObjectStore;
  resources: ResourceType[];
  bookmarkIntervalMs: number;
  /** awaited before every write is served: lets a test make a concurrent change land first */
  beforeWrite?: (write: PendingWrite) => Promise<void>;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Ends every open watch stream, as an API server restart or a load balancer timeout would. */
  dropWatches(): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new ApiError(413, 'RequestEntityTooLarge', 'the request is too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

/** Managers default to the client's User-Agent product token, as the API server does. */
function managerOf(req: IncomingMessage, url: URL): string {
  const explicit = url.searchParams.get('fieldManager');
  if (explicit) return explicit;
  const ua = req.headers['user-agent'] ?? '';
  return ua.split('/')[0]?.trim() || 'unknown';
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { store, resources, bookmarkIntervalMs } = opts;
  const watches = new Set<ServerResponse>();

  const groupVersions = () => {
    const map = new Map<string, ResourceType[]>();
    for (const r of resources) {
      const gv = apiVersionOf(r);
      map.set(gv, [...(map.get(gv) ?? []), r]);
    }
    return map;
  };

  function discovery(gv: string): JsonObject | undefined {
    const rs = groupVersions().get(gv);
    if (!rs) return undefined;
    const verbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
    return {
      kind: 'APIResourceList',
      apiVersion: 'v1',
      groupVersion: gv,
      resources: rs.flatMap((r) => [
        {
          name: r.plural,
          singularName: r.kind.toLowerCase(),
          namespaced: r.namespaced,
          kind: r.kind,
          verbs,
          ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
        },
        ...(r.statusSubresource
          ? [
              {
                name: `${r.plural}/status`,
                singularName: '',
                namespaced: r.namespaced,
                kind: r.kind,
                verbs: ['get', 'patch', 'update'],
              },
            ]
          : []),
      ]),
    };
  }

  function apiGroups(): JsonObject {
    const groups = new Map<string, string[]>();
    for (const r of resources)
      if (r.group) groups.set(r.group, [...new Set([...(groups.get(r.group) ?? []), r.version])]);
    return {
      kind: 'APIGroupList',
      apiVersion: 'v1',
      groups: [...groups].map(([name, versions]) => ({
        name,
        versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
      })),
    };
  }

  /** /api/v1/... or /apis/<group>/<version>/... → resource, namespace, name, subresource. */
  function route(parts: string[]): Target | 'discovery' | undefined {
    let group: string;
    let version: string | undefined;
    let rest: string[];
    if (parts[0] === 'api') {
      group = '';
      version = parts[1];
      rest = parts.slice(2);
    } else if (parts[0] === 'apis') {
      group = parts[1] ?? '';
      version = parts[2];
      rest = parts.slice(3);
    } else return undefined;
    if (rest.length === 0) return 'discovery';
    const find = (plural: string | undefined) =>
      resources.find((r) => r.group === group && r.version === version && r.plural === plural);
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3 && find(rest[2])?.namespaced) {
      namespace = rest[1];
      rest = rest.slice(2);
    }
    const resource = find(rest[0]);
    if (!resource || rest.length > 3) return undefined;
    if (rest[2] !== undefined && (rest[2] !== 'status' || !resource.statusSubresource)) return undefined;
    return {
      resource,
      ...(namespace !== undefined ? { namespace } : {}),
      ...(rest[1] !== undefined ? { name: rest[1] } : {}),
      ...(rest[2] === 'status' ? { subresource: 'status' as const } : {}),
    };
  }

  function listBody(t: Target, url: URL): JsonObject {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    const items = store
      .list(t.resource, t.resource.namespaced ? t.namespace : undefined)
      .filter((o) => labels(labelsOf(o)) && fields(o));
    return {
      apiVersion: apiVersionOf(t.resource),
      kind: `${t.resource.kind}List`,
      metadata: { resourceVersion: String(store.resourceVersion) },
      items,
    };
  }

  function watch(t: Target, url: URL, req: IncomingMessage, res: ServerResponse): void {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'));
    const matches = (o: JsonObject | undefined) =>
      o !== undefined &&
      (!t.namespace || (o.metadata as JsonObject).namespace === t.namespace) &&
      labels(labelsOf(o)) &&
      fields(o);
    const rvParam = url.searchParams.get('resourceVersion') ?? '';
    if (rvParam !== '' && !/^\d+$/.test(rvParam))
      throw badRequest(`resourceVersion: Invalid value: "${rvParam}"`);

    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache' });
    res.flushHeaders();
    watches.add(res);
    const write = (type: string, object: unknown) => {
      if (!res.writableEnded) res.write(`${JSON.stringify({ type, object })}\n`);
    };
    const bookmark = () =>
      write('BOOKMARK', {
        kind: t.resource.kind,
        apiVersion: apiVersionOf(t.resource),
        metadata: { resourceVersion: String(store.resourceVersion) },
      });
    const deliver = (ev: StoredEvent) => {
      if (ev.resource !== t.resource) return;
      const now = ev.type !== 'DELETED' && matches(ev.object);
      const before = ev.type === 'DELETED' ? matches(ev.object) : matches(ev.previous);
      // Label changes move objects in and out of a selector: the watcher sees them appear and vanish.
      if (ev.type === 'ADDED' && now) write('ADDED', ev.object);
      else if (ev.type === 'MODIFIED' && now) write(before ? 'MODIFIED' : 'ADDED', ev.object);
      else if (ev.type === 'MODIFIED' && before) write('DELETED', ev.object);
      else if (ev.type === 'DELETED' && before) write('DELETED', ev.object);
    };

    const timers: NodeJS.Timeout[] = [];
    const finish = () => {
      timers.forEach(clearTimeout);
      unsubscribe();
      watches.delete(res);
      if (!res.writableEnded) res.end();
    };
    let unsubscribe: () => void = () => {};

    if (rvParam === '' || rvParam === '0') {
      // "Any"/unset: synthetic ADDED for what exists now, then live changes.
      for (const o of store.list(t.resource, t.namespace)) if (matches(o)) write('ADDED', o);
    } else {
      const backlog = store.eventsSince(Number(rvParam));
      if (backlog === 'expired') {
        const gone = expired(`too old resource version: ${rvParam} (${store.oldestAvailable})`);
        write('ERROR', gone.toStatus());
        finish();
        return;
      }
      backlog.forEach(deliver);
    }
    unsubscribe = store.subscribe(deliver);

    const allowBookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    if (allowBookmarks) timers.push(setInterval(bookmark, bookmarkIntervalMs));
    const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? 0);
    if (timeoutSeconds > 0) {
      timers.push(
        setTimeout(() => {
          if (allowBookmarks) bookmark();
          finish();
        }, timeoutSeconds * 1000),
      );
    }
    req.on('close', finish);
    res.on('close', finish);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fixture');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';

    if (method === 'GET' && url.pathname === '/version') {
      return send(res, 200, {
        major: '1',
        minor: '31',
        gitVersion: 'v1.31.0-solar-fixture',
        platform: 'linux/amd64',
      });
    }
    if (method === 'GET' && url.pathname === '/api')
      return send(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (method === 'GET' && url.pathname === '/apis') return send(res, 200, apiGroups());

    const target = route(parts);
    if (target === 'discovery') {
      const gv = parts[0] === 'api' ? (parts[1] ?? '') : `${parts[1]}/${parts[2]}`;
      const doc = discovery(gv);
      if (method === 'GET' && doc) return send(res, 200, doc);
    }
    if (!target || target === 'discovery') {
      throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
    }
    const { resource: r, namespace, name } = target;
    const scope = target.subresource === 'status' ? 'status' : 'main';
    const manager = managerOf(req, url);
    if (method !== 'GET' && opts.beforeWrite)
      await opts.beforeWrite({ method, resource: r.plural, namespace, name, manager });

    if (!name) {
      if (method === 'GET' && url.searchParams.get('watch') === 'true') return watch(target, url, req, res);
      if (method === 'GET') return send(res, 200, listBody(target, url));
      if (method === 'POST') {
        if (scope === 'status')
          throw new ApiError(405, 'MethodNotAllowed', 'create is not supported on status');
        const body = parseJson(await readBody(req));
        if (!isObject(body)) throw badRequest('the request body must be an object');
        return send(res, 201, store.create(r, namespace, body, { manager, scope }));
      }
      throw new ApiError(
        405,
        'MethodNotAllowed',
        `the server does not allow this method on the requested resource`,
      );
    }

    switch (method) {
      case 'GET':
        return send(res, 200, store.get(r, namespace, name));
      case 'PUT': {
        const body = parseJson(await readBody(req));
        if (!isObject(body)) throw badRequest('the request body must be an object');
        return send(res, 200, store.replace(r, namespace, name, body, { manager, scope }));
      }
      case 'PATCH': {
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
        const type = patchTypes[contentType];
        if (!type) {
          throw new ApiError(
            415,
            'UnsupportedMediaType',
            `the body of the request was in an unknown format - accepted media types include: ${Object.keys(patchTypes).join(', ')}`,
          );
        }
        const text = await readBody(req);
        let body: unknown;
        if (type === 'apply') {
          if (!url.searchParams.get('fieldManager')) {
            throw badRequest(
              'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
            );
          }
          try {
            body = parseYaml(text);
          } catch {
            throw badRequest('the apply configuration is not valid YAML or JSON');
          }
        } else body = parseJson(text);
        const force = url.searchParams.get('force') === 'true';
        if (force && type !== 'apply') throw badRequest('force may not be set for non-apply patch');
        const { obj, created } = store.patch(r, namespace, name, type, body, { manager, scope, force });
        return send(res, created ? 201 : 200, obj);
      }
      case 'DELETE': {
        if (scope === 'status')
          throw new ApiError(405, 'MethodNotAllowed', 'delete is not supported on status');
        const text = await readBody(req);
        const options = text ? parseJson(text) : {};
        const policy =
          url.searchParams.get('propagationPolicy') ??
          (isObject(options) ? (options.propagationPolicy as string | undefined) : undefined);
        const pre =
          isObject(options) && isObject(options.preconditions)
            ? options.preconditions.resourceVersion
            : undefined;
        const { obj, code } = store.delete(r, namespace, name, {
          manager,
          ...(policy ? { propagationPolicy: policy } : {}),
          ...(typeof pre === 'string' ? { preconditionRv: pre } : {}),
        });
        return send(res, code, obj);
      }
      default:
        throw new ApiError(
          405,
          'MethodNotAllowed',
          'the server does not allow this method on the requested resource',
        );
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const apiErr =
        err instanceof ApiError
          ? err
          : new ApiError(500, 'InternalError', `fixture error: ${(err as Error).message}`);
      if (!res.headersSent) send(res, apiErr.code, apiErr.toStatus());
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dropWatches() {
      for (const res of [...watches]) res.end();
      watches.clear();
    },
    async close() {
      for (const res of [...watches]) res.end();
      watches.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
