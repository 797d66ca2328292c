import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createDb, type Knex, type Logger, type Migration } from '@solar/common';
import { reconcileTenant } from '../reconciler/reconcile.js';
import type { FaultInjector } from '../reconciler/types.js';
import { createEventRecorder } from './events.js';
import { startInformers, type TenantInformers } from './informers.js';
import { createKubeApi, describeApiError } from './kube-api.js';
import { startLeaderElection } from './leader-election.js';
import { createOperatorMetrics } from './metrics.js';
import { reconcileTenantResource, type ControllerDeps, type ReconcileFn } from './tenant-controller.js';
import { createWorkQueue, defaultBackoff, type BackoffPolicy, type WorkQueue } from './work-queue.js';

export interface KubernetesDriverOptions {
  kubeConfig: KubeConfig;
  /** the operator's namespace: its Lease, pooled tenants' Secrets and migration Jobs */
  namespace: string;
  /** the platform database (tenant registry platform-api and the runtimes read) */
  platformDb: Knex;
  /** server-level MySQL URL able to create schemas and users */
  adminDbUrl: string;
  /** host:port tenant users and their Jobs/runtimes connect to (default: adminDbUrl's server) */
  tenantDbUrl?: string;
  /** PLATFORM_SECRET_KEY: when set, DB passwords are mirrored sealed into the registry for the pooled runtime */
  secretKey?: Buffer;
  /** the pooled runtime Service URL, the routing entry of every pooled tenant */
  pooledRuntimeEndpoint: string;
  /** image repository of tenant-runtime; the tag is each Tenant's spec.runtime.version */
  images: { runtime: string };
  logger: Logger;
  /** this replica's identity in the Lease (POD_NAME) */
  identity: string;
  leaseName?: string;
  leaseDurationMs?: number;
  /** how often every cached Tenant is reconciled again even without a change (drift the watches cannot see) */
  resyncMs?: number;
  concurrency?: number;
  backoff?: BackoffPolicy;
  /** how long stop() waits for reconciles in flight before giving up (and leaving the Lease to expire) */
  shutdownGraceMs?: number;
  /** false: no migration Job, the reconciler migrates in-process (as the local driver does) */
  migrationJobs?: boolean;
  platformApiSelector?: Record<string, string>;
  runtimeEnvSecret?: string;
  snapshotDir?: string;
  rotationGraceMs?: number;
  /** tests: tenant migrations instead of tenant-runtime's, crash points */
  migrations?: readonly Migration[];
  faults?: FaultInjector;
  /** benchmarks only: a reconciler that skips the database (default: the shared reconcileTenant) */
  reconcile?: ReconcileFn;
}

export interface KubernetesDriver {
  /** Stops reconciling; releases the Lease if every reconcile in flight finished within the grace period. */
  stop(): Promise<void>;
  isLeader(): boolean;
  /** Prometheus text exposition */
  metrics(): string;
  /** for /readyz: a leader whose informers have synced, or a standby */
  ready(): boolean;
}

/**
 * The Kubernetes driver: leader election on a Lease; while leading, informers on Tenants and their children
 * feed a work queue whose workers run one controller pass per Tenant (`reconcileTenantResource`), with
 * exponential backoff on failure and a periodic resync. Losing the lease stops the workers; a standby
 * replica starts them once the lease is its own.
 */
export function startKubernetesDriver(options: KubernetesDriverOptions): KubernetesDriver {
  const logger = options.logger.child({ driver: 'kubernetes', identity: options.identity });
  const api = createKubeApi(options.kubeConfig);
  const metrics = createOperatorMetrics();
  const admin = createDb({
    url: options.adminDbUrl,
    database: null,
    pool: { min: 0, max: 8 },
    label: 'mysql-admin',
  });
  const deps: ControllerDeps = {
    api,
    platformDb: options.platformDb,
    admin,
    adminDbUrl: options.adminDbUrl,
    tenantDbUrl: options.tenantDbUrl ?? options.adminDbUrl,
    ...(options.secretKey ? { secretKey: options.secretKey } : {}),
    namespace: options.namespace,
    pooledRuntimeEndpoint: options.pooledRuntimeEndpoint,
    images: options.images,
    platformApiSelector: options.platformApiSelector ?? { 'app.kubernetes.io/component': 'platform-api' },
    runtimeEnvSecret: options.runtimeEnvSecret ?? 'solar-crm-runtime-env',
    migrationJobs: options.migrationJobs ?? true,
    snapshotDir: options.snapshotDir ?? join(tmpdir(), 'solar-crm-snapshots'),
    rotationGraceMs: options.rotationGraceMs ?? 60_000,
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    reconcile: options.reconcile ?? reconcileTenant,
    events: createEventRecorder(api.core, options.identity, logger),
    logger,
  };
  const resyncMs = options.resyncMs ?? 10 * 60_000;
  const graceMs = options.shutdownGraceMs ?? 30_000;

  /** one leadership term: its queue, informers and resync timer */
  interface Term {
    queue: WorkQueue;
    informers?: TenantInformers;
    resync?: NodeJS.Timeout;
    ending?: Promise<boolean>;
  }
  let term: Term | undefined;
  let stopping = false;

  async function worker(queue: WorkQueue, name: string): Promise<void> {
    const started = process.hrtime.bigint();
    const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
    try {
      const live = await api.getTenant(name);
      if (!live) {
        queue.forget(name);
        return;
      }
      const out = await reconcileTenantResource(deps, live);
      metrics.reconciled(out.result, seconds());
      if (out.result === 'error') {
        metrics.error(out.error?.name === 'ValidationFailed' ? 'invalid_spec' : 'reconcile');
        const delay = queue.addRateLimited(name);
        logger.warn(
          { tenantName: name, err: out.error?.message, retryInMs: delay },
          'reconcile failed; backing off',
        );
        return;
      }
      queue.forget(name);
      if (out.requeueAfterMs !== undefined) queue.addAfter(name, out.requeueAfterMs);
    } catch (err) {
      metrics.reconciled('error', seconds());
      metrics.error('api');
      const delay = queue.addRateLimited(name);
      logger.warn(
        { tenantName: name, err: describeApiError(err), retryInMs: delay },
        'reconcile pass failed; backing off',
      );
    }
  }

  async function startTerm(): Promise<void> {
    if (stopping || term) return;
    const queue = createWorkQueue(options.backoff ?? defaultBackoff);
    const current: Term = { queue };
    term = current;
    queue.run((name) => worker(queue, name), options.concurrency ?? 8);
    try {
      current.informers = await startInformers({
        kubeConfig: options.kubeConfig,
        api,
        enqueue: (name) => queue.add(name),
        onError: (kind) => metrics.error(kind),
        logger,
      });
    } catch (err) {
      logger.error({ err: describeApiError(err) }, 'informers failed to start');
    }
    if (term !== current) {
      await current.informers?.stop();
      return;
    }
    current.resync = setInterval(() => {
      for (const t of current.informers?.tenants.list() ?? [])
        if (t.metadata?.name) queue.add(t.metadata.name);
    }, resyncMs);
    current.resync.unref();
    logger.info('leading: reconciling Tenants');
  }

  function endTerm(): Promise<boolean> {
    const current = term;
    if (!current) return Promise.resolve(true);
    current.ending ??= (async () => {
      if (current.resync) clearInterval(current.resync);
      await current.informers?.stop();
      const drained = await current.queue.shutdown(graceMs);
      if (term === current) term = undefined;
      return drained;
    })();
    return current.ending;
  }

  const elector = startLeaderElection({
    kubeConfig: options.kubeConfig,
    namespace: options.namespace,
    leaseName: options.leaseName ?? 'solar-crm-operator',
    identity: options.identity,
    leaseDurationMs: options.leaseDurationMs ?? 15_000,
    logger,
    onStartedLeading: () => startTerm(),
    onStoppedLeading: async () => {
      await endTerm();
    },
  });

  let stopped: Promise<void> | undefined;
  return {
    isLeader: () => elector.isLeader(),
    ready: () => !stopping && (!elector.isLeader() || (term?.informers?.synced() ?? false)),
    metrics: () =>
      metrics.render({
        queueDepth: term?.queue.depth() ?? 0,
        inFlight: term?.queue.inFlight() ?? 0,
        leader: elector.isLeader(),
        tenants: term?.informers?.tenants.list().length ?? 0,
      }),
    stop: () =>
      (stopped ??= (async () => {
        stopping = true;
        const drained = await endTerm();
        // a reconcile still running could write after a successor started: let the lease expire instead
        await elector.stop({ release: drained });
        if (drained) await admin.destroy();
        else logger.warn({ graceMs }, 'reconciles still running at shutdown; the lease is left to expire');
        logger.info('kubernetes driver stopped');
      })()),
  };
}
