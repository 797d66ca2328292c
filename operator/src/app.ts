import {
  createDb,
  createLogger,
  parseKey,
  serve,
  startTelemetry,
  type Lifecycle,
  type Logger,
  type Served,
} from '@solar/common';
import type { OperatorConfig } from './config.js';
import { healthHandler } from './health.js';
import { kubeHealthHandler, startKubernetesDriver } from './kube/index.js';
import { createLocalDriver, type LocalDriver } from './local/driver.js';

export interface Operator {
  served: Served;
  /** the local driver; absent when the Kubernetes driver runs */
  driver?: LocalDriver;
  logger: Logger;
}

/**
 * The operator, wired in order: config → logger/telemetry → platform DB → driver + its reconcile loop →
 * health server whose shutdown stops the loop (letting the reconcile in flight finish) and closes pools.
 */
export async function startOperator(
  config: OperatorConfig,
  opts: { handleSignals?: boolean; logger?: Logger } = {},
): Promise<Operator> {
  const logger = opts.logger ?? createLogger('operator', config.LOG_LEVEL);
  if (config.DRIVER === 'kubernetes')
    return startKubernetesOperator(config, logger, opts.handleSignals ?? true);

  const telemetry = startTelemetry('operator', config);
  const platformDb = createDb({ url: config.DATABASE_URL, label: 'platform', pool: { min: 0, max: 5 } });
  const driver = createLocalDriver({
    platformDb,
    adminDbUrl: config.ADMIN_DATABASE_URL ?? config.DATABASE_URL,
    secretKey: parseKey(config.PLATFORM_SECRET_KEY),
    runtimeEndpoint: config.RUNTIME_ENDPOINT,
    snapshotDir: config.SNAPSHOT_DIR,
    rotationGraceMs: config.CREDENTIAL_ROTATION_GRACE_MS,
    logger,
  });

  // the handler exists before serve() returns the lifecycle it reports on
  const holder: { lifecycle?: Lifecycle } = {};
  const served = await serve(healthHandler({ platformDb, lifecycle: () => holder.lifecycle }), {
    port: config.PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    handleSignals: opts.handleSignals ?? true,
    onClose: async () => {
      await driver.close();
      await platformDb.destroy();
      await telemetry.shutdown();
    },
  });
  holder.lifecycle = served.lifecycle;

  driver.run({ intervalMs: config.RECONCILE_INTERVAL_MS, resyncMs: config.RESYNC_INTERVAL_MS });
  logger.info({ port: served.port, driver: config.DRIVER }, 'operator started');
  return { served, driver, logger };
}

/**
 * In a cluster: the same reconciler driven by Tenant resources (informers, work queue, Lease leader election);
 * /healthz, /readyz and /metrics on PORT.
 */
async function startKubernetesOperator(
  config: OperatorConfig,
  logger: Logger,
  handleSignals: boolean,
): Promise<Operator> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromDefault(); // in-cluster service account, or KUBECONFIG when run from a workstation
  const telemetry = startTelemetry('operator', config);
  const platformDb = createDb({ url: config.DATABASE_URL, label: 'platform', pool: { min: 0, max: 5 } });
  const driver = startKubernetesDriver({
    kubeConfig,
    namespace: config.POD_NAMESPACE,
    identity: config.POD_NAME,
    platformDb,
    adminDbUrl: config.ADMIN_DATABASE_URL ?? config.DATABASE_URL,
    secretKey: parseKey(config.PLATFORM_SECRET_KEY),
    pooledRuntimeEndpoint: config.POOLED_RUNTIME_ENDPOINT ?? config.RUNTIME_ENDPOINT,
    images: { runtime: config.RUNTIME_IMAGE },
    leaseDurationMs: config.LEASE_DURATION_MS,
    resyncMs: config.RESYNC_INTERVAL_MS,
    snapshotDir: config.SNAPSHOT_DIR,
    rotationGraceMs: config.CREDENTIAL_ROTATION_GRACE_MS,
    logger,
  });
  const served = await serve(kubeHealthHandler(driver), {
    port: config.PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    handleSignals,
    onClose: async () => {
      await driver.stop();
      await platformDb.destroy();
      await telemetry.shutdown();
    },
  });
  logger.info(
    { port: served.port, driver: 'kubernetes', namespace: config.POD_NAMESPACE },
    'operator started',
  );
  return { served, logger };
}
