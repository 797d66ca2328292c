import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  NetworkingV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
} from '@kubernetes/client-node';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import {
  startKubernetesDriver,
  type KubernetesDriver,
  type KubernetesDriverOptions,
} from '../../src/kube/index.js';
import { MANAGED_SELECTOR } from '../../src/kube/names.js';
import type { TenantResource } from '../../src/kube/tenant-resource.js';

export const gvp = { group: 'solarcrm.io', version: 'v1alpha1', plural: 'tenants' } as const;
export const OPERATOR_NS = 'solar';
export const POOLED = 'http://solar-tenant-runtime.solar.svc:4100';
export const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export function clients(kc: KubeConfig) {
  return {
    custom: kc.makeApiClient(CustomObjectsApi),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    networking: kc.makeApiClient(NetworkingV1Api),
  };
}

export const tenantBody = (name: string, spec: Record<string, unknown> = {}) => ({
  apiVersion: 'solarcrm.io/v1alpha1',
  kind: 'Tenant',
  metadata: { name },
  spec: { slug: name, displayName: `${name} Solar`, ...spec },
});

export async function getTenant(kc: KubeConfig, name: string): Promise<TenantResource | null> {
  try {
    return (await clients(kc).custom.getClusterCustomObject({ ...gvp, name })) as TenantResource;
  } catch (err) {
    if ((err as { code?: number }).code === 404) return null;
    throw err;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions read whatever the server stored
export const statusOf = (t: TenantResource | null) => (t?.status ?? {}) as Record<string, any>;
export const condition = (t: TenantResource | null, type: string) =>
  (statusOf(t).conditions ?? []).find((c: { type: string }) => c.type === type);

/**
 * Stands in for the kubelet and the Job and Deployment controllers, which the fixture does not run: marks
 * migration Jobs complete (or, for tenants in `fail`, failed after their retries) by patching their status,
 * as finished Pods would, and reports every managed Deployment's replicas as available (so a scale-up becomes
 * Available). `hold` keeps a tenant's Jobs running and its Deployment's status where it is.
 */
export function startKubelet(kc: KubeConfig) {
  const { batch, apps } = clients(kc);
  const hold = new Set<string>();
  const fail = new Set<string>();
  let on = true;
  const finished = (job: { status?: { succeeded?: number; failed?: number } }) =>
    (job.status?.succeeded ?? 0) > 0 || (job.status?.failed ?? 0) > 0;
  const loop = (async () => {
    while (on) {
      try {
        const jobs = await batch.listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR });
        for (const job of jobs.items) {
          const tenant = job.metadata?.labels?.['solarcrm.io/tenant'] ?? '';
          if (hold.has(tenant) || finished(job)) continue;
          const status = fail.has(tenant)
            ? {
                failed: 7,
                conditions: [
                  {
                    type: 'Failed',
                    status: 'True',
                    reason: 'BackoffLimitExceeded',
                    message: 'Job has reached the specified backoff limit',
                  },
                ],
              }
            : { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
          await batch.patchNamespacedJobStatus(
            { name: job.metadata!.name!, namespace: job.metadata!.namespace!, body: { status } },
            mergePatch,
          );
        }
        const deployments = await apps.listDeploymentForAllNamespaces({ labelSelector: MANAGED_SELECTOR });
        for (const dep of deployments.items) {
          const tenant = dep.metadata?.labels?.['solarcrm.io/tenant'] ?? '';
          const replicas = dep.spec?.replicas ?? 1;
          const generation = dep.metadata?.generation ?? 1;
          if (hold.has(tenant)) continue;
          if (dep.status?.observedGeneration === generation && dep.status.availableReplicas === replicas)
            continue;
          await apps.patchNamespacedDeploymentStatus(
            {
              name: dep.metadata!.name!,
              namespace: dep.metadata!.namespace!,
              body: {
                status: {
                  observedGeneration: generation,
                  replicas,
                  readyReplicas: replicas,
                  availableReplicas: replicas,
                  conditions: [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }],
                },
              },
            },
            mergePatch,
          );
        }
      } catch {
        // the fixture may be closing
      }
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  return {
    hold,
    fail,
    async stop() {
      on = false;
      await loop;
    },
  };
}

export const silent = createLogger('kube-driver-test', (process.env.TEST_LOG_LEVEL as 'info') ?? 'silent');

export function startDriver(
  kc: KubeConfig,
  platformDb: Knex,
  secretKey: Buffer,
  extra: Partial<KubernetesDriverOptions> = {},
): KubernetesDriver {
  return startKubernetesDriver({
    kubeConfig: kc,
    namespace: OPERATOR_NS,
    platformDb,
    adminDbUrl: testServerUrl,
    secretKey,
    pooledRuntimeEndpoint: POOLED,
    images: { runtime: 'solar-crm/tenant-runtime' },
    logger: silent,
    identity: `op-${randomBytes(3).toString('hex')}`,
    leaseDurationMs: 1000,
    backoff: { baseMs: 100, maxMs: 2000, jitter: 0.2 },
    shutdownGraceMs: 5000,
    ...extra,
  });
}

export async function createOperatorNamespace(kc: KubeConfig): Promise<void> {
  await clients(kc).core.createNamespace({ body: { metadata: { name: OPERATOR_NS } } });
}

/** Drops every tenant schema and DB user a test's registry knows about. */
export async function dropTenantDatabases(platformDb: Knex): Promise<void> {
  const admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
  try {
    const ids = (await platformDb('tenants').pluck('id')) as string[];
    for (const id of ids) {
      await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
      await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
    }
  } finally {
    await admin.destroy();
  }
}

export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 25_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }
}
