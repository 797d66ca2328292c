import {
  AppsV1Api,
  BatchV1Api,
  makeInformer,
  type Informer,
  type KubeConfig,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import type { Logger } from '@solar/common';
import type { KubeApi } from './kube-api.js';
import { GROUP, MANAGED_SELECTOR, PLURAL, TENANT_LABEL, VERSION } from './names.js';
import type { TenantResource } from './tenant-resource.js';

export interface TenantInformers {
  tenants: ObjectCache<TenantResource>;
  /** true once every informer has listed once */
  synced(): boolean;
  stop(): Promise<void>;
}

/**
 * Watches Tenants and the children the operator owns (Deployments and Jobs with our managed-by label) and
 * turns every change into a key on the queue: a Tenant by its name, a child by its `solarcrm.io/tenant` label,
 * so a deleted Deployment or a finished migration Job brings its Tenant back for a pass. The client's ListWatch
 * resumes from its resourceVersion when a watch ends and relists on 410 Gone; other errors stop it, so they
 * restart it here after a pause.
 */
export async function startInformers(opts: {
  kubeConfig: KubeConfig;
  api: KubeApi;
  enqueue(name: string): void;
  onError(kind: string, err: unknown): void;
  logger: Logger;
  restartDelayMs?: number;
}): Promise<TenantInformers> {
  const { kubeConfig: kc, api, enqueue } = opts;
  const apps = kc.makeApiClient(AppsV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  let stopped = false;
  const synced = new Set<string>();
  const informers: Array<Informer<KubernetesObject>> = [];

  const tenants = makeInformer<TenantResource>(kc, `/apis/${GROUP}/${VERSION}/${PLURAL}`, () =>
    api.listTenants(),
  );
  const byName = (o: KubernetesObject) => {
    if (o.metadata?.name) enqueue(o.metadata.name);
  };
  const byOwner = (o: KubernetesObject) => {
    const owner = o.metadata?.labels?.[TENANT_LABEL];
    if (owner) enqueue(owner);
  };
  const children = [
    makeInformer(
      kc,
      '/apis/apps/v1/deployments',
      () => apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      MANAGED_SELECTOR,
    ),
    makeInformer(
      kc,
      '/apis/batch/v1/jobs',
      () => batch.listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR }),
      MANAGED_SELECTOR,
    ),
  ];
  const all: Array<[string, Informer<KubernetesObject>, (o: KubernetesObject) => void]> = [
    ['tenants', tenants as unknown as Informer<KubernetesObject>, byName],
    ['deployments', children[0] as unknown as Informer<KubernetesObject>, byOwner],
    ['jobs', children[1] as unknown as Informer<KubernetesObject>, byOwner],
  ];
  for (const [kind, informer, handler] of all) {
    informers.push(informer);
    informer.on('add', handler);
    informer.on('update', handler);
    informer.on('delete', handler);
    informer.on('connect', () => opts.logger.debug({ kind }, 'watch (re)connecting'));
    informer.on('error', (err) => {
      opts.onError(`watch_${kind}`, err);
      if (stopped) return;
      opts.logger.warn({ kind, err: String(err) }, 'watch failed; restarting');
      setTimeout(() => {
        if (!stopped) informer.start().catch((e: unknown) => opts.onError(`watch_${kind}`, e));
      }, opts.restartDelayMs ?? 1000).unref();
    });
  }
  await Promise.all(
    all.map(async ([kind, informer]) => {
      await informer.start();
      synced.add(kind);
    }),
  );
  return {
    tenants,
    synced: () => synced.size === all.length,
    async stop() {
      stopped = true;
      await Promise.all(informers.map((i) => i.stop()));
    },
  };
}
