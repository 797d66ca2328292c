import { readFileSync } from 'node:fs';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import { kubeConfigFor } from './kube-config.js';
import { builtinResources, resourcesFromCrd, type CrdObject, type ResourceType } from './resources.js';
import { startServer, type PendingWrite } from './server.js';
import { ObjectStore } from './store.js';

export { kubeConfigFor } from './kube-config.js';
export { compileSchema, type StructuralSchema } from './structural-schema.js';
export type { CrdObject } from './resources.js';

/** The chart's Tenant CRD, read from disk so the fixture always enforces exactly what we ship. */
export const tenantCrdPath = new URL(
  '../../../charts/solar-crm/crds/tenants.solarcrm.io.yaml',
  import.meta.url,
);

export function loadTenantCrd(): CrdObject {
  return parseYaml(readFileSync(tenantCrdPath, 'utf8')) as CrdObject;
}

export interface KubeApiFixtureOptions {
  /** CRDs to serve; default: the Tenant CRD from charts/solar-crm/crds. */
  crds?: CrdObject[];
  /** How many events watches can replay before older resourceVersions answer 410 Gone. */
  historyLimit?: number;
  /** How often watches with allowWatchBookmarks=true get a BOOKMARK. */
  bookmarkIntervalMs?: number;
}

export interface KubeApiFixture {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** A fresh client config pointing at this server. */
  kubeConfig(namespace?: string): KubeConfig;
  /** Forget all watch history (etcd compaction): a watch from any older resourceVersion gets 410 Gone. */
  compactHistory(): void;
  /** End every open watch stream from the server side. */
  dropWatches(): void;
  /** The global resourceVersion counter, as a string. */
  currentResourceVersion(): string;
  /**
   * Runs `first` once, just before the next write that `match`es is served: a change someone else makes
   * while a client is between reading an object and writing it back.
   */
  beforeNextWrite(match: (write: PendingWrite) => boolean, first: () => Promise<void>): void;
  close(): Promise<void>;
}

/**
 * An in-process Kubernetes API server with the semantics the operator depends on. Namespaces `default`
 * and `kube-system` exist from the start, as in a real cluster.
 */
export async function startKubeApiFixture(options: KubeApiFixtureOptions = {}): Promise<KubeApiFixture> {
  const crds = options.crds ?? [loadTenantCrd()];
  const resources: ResourceType[] = [...builtinResources, ...crds.flatMap(resourcesFromCrd)];
  const namespaceType = resources.find((r) => r.group === '' && r.plural === 'namespaces');
  if (!namespaceType) throw new Error('namespaces resource missing');
  const store = new ObjectStore(options.historyLimit ?? 1000, namespaceType);
  for (const name of ['default', 'kube-system']) {
    store.create(
      namespaceType,
      undefined,
      { metadata: { name } },
      { manager: 'kube-apiserver', scope: 'main' },
    );
  }
  const interceptors: Array<{ match: (write: PendingWrite) => boolean; first: () => Promise<void> }> = [];
  const server = await startServer({
    store,
    resources,
    bookmarkIntervalMs: options.bookmarkIntervalMs ?? 1000,
    beforeWrite: async (write) => {
      const i = interceptors.findIndex((x) => x.match(write));
      if (i < 0) return;
      const [hit] = interceptors.splice(i, 1);
      await hit?.first();
    },
  });
  return {
    url: server.url,
    port: server.port,
    kubeConfig: (namespace) => kubeConfigFor(server.url, namespace),
    compactHistory: () => store.compact(),
    dropWatches: () => server.dropWatches(),
    currentResourceVersion: () => String(store.resourceVersion),
    beforeNextWrite: (match, first) => void interceptors.push({ match, first }),
    close: () => server.close(),
  };
}
