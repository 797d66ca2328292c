/**
 * The Kubernetes driver against the in-process API server fixture: how fast Tenants reach Ready, how much
 * memory the operator holds, and how long a spec change takes to show in status.
 *
 *   npm run bench kube-reconcile     (BENCH_KUBE_TENANTS=1000, BENCH_KUBE_REAL_TENANTS=25 by default)
 *
 * Two runs, labelled as such in the results:
 * - "no-db": 1,000 pooled Tenants with a reconciler that SKIPS THE DATABASE (it publishes the route and writes
 *   a Ready status through the real Kubernetes/registry writers, but creates no schema, user or migrations).
 *   It measures the driver itself: informers, queue, finalizers, Secret-free status writes, events, registry.
 * - "real-db": a smaller number of pooled Tenants through the real shared reconciler and MariaDB, migration
 *   Jobs marked complete by a simulated kubelet.
 * The operator runs in the same process as the fixture, so memory figures include the fixture's object store
 * (reported separately as a baseline before the operator starts).
 */
import { randomBytes } from 'node:crypto';
import {
  BatchV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  Watch,
} from '@kubernetes/client-node';
import { createLogger } from '@solar/common';
import { createTestPlatformDb, testServerUrl } from '@solar/platform-api/testing/platform-db';
import { percentile, recordBenchmark } from '../../scripts/bench-kit.js';
import { setCondition } from '../src/reconciler/conditions.js';
import type { ReconcileFn } from '../src/kube/index.js';
import { startKubernetesDriver } from '../src/kube/index.js';
import { MANAGED_SELECTOR } from '../src/kube/names.js';
import { startKubeApiFixture } from '../test/kube-api-fixture/index.js';
import type { TenantStatus } from '../src/tenant-spec.js';
import { dropTenantDatabases } from '../test/kube-driver/harness.js';

const TENANTS = Number(process.env.BENCH_KUBE_TENANTS ?? 1000);
const REAL_TENANTS = Number(process.env.BENCH_KUBE_REAL_TENANTS ?? 25);
const CHANGES = 50;
const gvp = { group: 'solarcrm.io', version: 'v1alpha1', plural: 'tenants' } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const logger = createLogger('kube-bench', 'warn');
const mib = (n: number) => Math.round((n / 2 ** 20) * 10) / 10;
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** Labelled stand-in: everything the shared reconciler does except the database work. */
const skipDatabase: ReconcileFn = async (deps, tenant) => {
  const now = new Date();
  let conditions = tenant.status.conditions;
  for (const type of ['DatabaseReady', 'Migrated', 'Routable', 'Ready'] as const)
    conditions = setCondition(
      conditions,
      {
        type,
        status: 'True',
        reason: 'Benchmark',
        message: 'no-db benchmark',
        observedGeneration: tenant.generation,
      },
      now,
    );
  const endpoint = deps.endpointFor(tenant);
  if ((await deps.routes.lookup(tenant.id)) !== endpoint) await deps.routes.publish(tenant.id, endpoint);
  const status: TenantStatus = {
    phase: 'Ready',
    observedGeneration: tenant.generation,
    conditions,
    database: { schema: `t_${tenant.id}`, user: `t_${tenant.id}` },
    schemaVersion: 'benchmark',
    runtimeVersion: tenant.spec.runtime.version,
    endpoint,
    lastError: null,
  };
  if (JSON.stringify(status) !== JSON.stringify(tenant.status)) await deps.status.write(tenant, status);
  return { ok: true, status };
};

async function run(label: string, count: number, real: boolean) {
  const fx = await startKubeApiFixture({ historyLimit: 20 * count + 1000 });
  const kc = fx.kubeConfig();
  const platform = await createTestPlatformDb();
  const custom = kc.makeApiClient(CustomObjectsApi);
  await kc.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api).createNamespace({
    body: { metadata: { name: 'solar' } },
  });

  // Watch statuses from the outside, as `kubectl get tnt -w` would.
  const readyAt = new Map<string, number>();
  const observedAt = new Map<string, { gen: number; at: number }>();
  const watchAbort = await new Watch(kc).watch(
    `/apis/${gvp.group}/${gvp.version}/${gvp.plural}`,
    {},
    (
      _type,
      obj: { metadata: { name: string }; status?: { phase?: string; observedGeneration?: number } },
    ) => {
      const name = obj.metadata.name;
      if (obj.status?.phase === 'Ready' && !readyAt.has(name)) readyAt.set(name, performance.now());
      observedAt.set(name, { gen: obj.status?.observedGeneration ?? 0, at: performance.now() });
    },
    () => undefined,
  );

  // kubelet stand-in for the real run: migration Jobs complete as soon as they exist
  let kubeletOn = real;
  const batch = kc.makeApiClient(BatchV1Api);
  const kubelet = (async () => {
    while (kubeletOn) {
      const jobs = await batch
        .listJobForAllNamespaces({ labelSelector: MANAGED_SELECTOR })
        .catch(() => ({ items: [] }));
      for (const j of jobs.items)
        if (!j.status?.succeeded)
          await batch
            .patchNamespacedJobStatus(
              {
                name: j.metadata!.name!,
                namespace: j.metadata!.namespace!,
                body: { status: { succeeded: 1 } },
              },
              mergePatch,
            )
            .catch(() => undefined);
      await new Promise((r) => setTimeout(r, 25));
    }
  })();

  const names = Array.from({ length: count }, (_, i) => `bench-${label}-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 50)
    await Promise.all(
      names.slice(i, i + 50).map((name) =>
        custom.createClusterCustomObject({
          ...gvp,
          body: {
            apiVersion: 'solarcrm.io/v1alpha1',
            kind: 'Tenant',
            metadata: { name },
            spec: { slug: name, displayName: name },
          },
        }),
      ),
    );
  gc();
  const baseline = process.memoryUsage();

  const t0 = performance.now();
  const driver = startKubernetesDriver({
    kubeConfig: kc,
    namespace: 'solar',
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey: randomBytes(32),
    pooledRuntimeEndpoint: 'http://solar-tenant-runtime.solar.svc:4100',
    images: { runtime: 'solar-crm/tenant-runtime' },
    logger,
    identity: 'bench',
    leaseDurationMs: 5000,
    concurrency: real ? 4 : 16,
    ...(real ? {} : { reconcile: skipDatabase, migrationJobs: false }),
  });
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  while (readyAt.size < count) {
    if (performance.now() - t0 > 20 * 60_000)
      throw new Error(`only ${readyAt.size}/${count} Ready after 20 min`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const allReadyMs = performance.now() - t0;
  gc();
  const steady = process.memoryUsage();

  // a spec change → the status that reports it (observedGeneration), one at a time so each is measured alone
  const latencies: number[] = [];
  for (const name of names.slice(0, Math.min(CHANGES, count))) {
    const start = performance.now();
    const updated = (await custom.patchClusterCustomObject(
      { ...gvp, name, body: { spec: { displayName: `${name} (renamed)` } } },
      mergePatch,
    )) as { metadata: { generation: number } };
    while ((observedAt.get(name)?.gen ?? 0) < updated.metadata.generation)
      await new Promise((r) => setTimeout(r, 2));
    latencies.push(observedAt.get(name)!.at - start);
  }
  const metricsText = driver.metrics();

  clearInterval(sampler);
  await driver.stop();
  kubeletOn = false;
  await kubelet;
  watchAbort.abort();
  await fx.close();
  if (real) await dropTenantDatabases(platform.db);
  await platform.drop();
  return {
    figures: {
      [`${label}: tenants`]: count,
      [`${label}: all Ready s`]: Math.round(allReadyMs) / 1000,
      [`${label}: tenants/s`]: Math.round((count / allReadyMs) * 1000 * 10) / 10,
      [`${label}: change→status p50 ms`]: Math.round(percentile(latencies, 50) * 10) / 10,
      [`${label}: change→status p95 ms`]: Math.round(percentile(latencies, 95) * 10) / 10,
      [`${label}: heap MiB (baseline → Ready)`]: `${mib(baseline.heapUsed)} → ${mib(steady.heapUsed)}`,
      [`${label}: peak RSS MiB`]: mib(peakRss),
    },
    details: {
      latenciesMs: latencies,
      metrics: metricsText.split('\n').filter((l) => l.startsWith('controller_runtime_reconcile_total')),
    },
  };
}

const noDb = await run('no-db', TENANTS, false);
const realDb = await run('real-db', REAL_TENANTS, true);
recordBenchmark({
  name: 'operator-kube-reconcile',
  figures: { ...noDb.figures, ...realDb.figures },
  details: {
    note: 'no-db uses a reconciler that skips all database work (labelled); real-db runs the shared reconciler on MariaDB. Memory includes the in-process API server fixture.',
    noDb: noDb.details,
    realDb: realDb.details,
  },
});
process.exit(0);
