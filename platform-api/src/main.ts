import { createDb, createLogger, parseKey, startTelemetry } from '@solar/common';
import { loadPlatformConfig } from './config.js';
import { migratePlatform } from './db/migrate.js';
import { startPlatformApi } from './server.js';

// Entry point: read config once, bring the platform schema up to date, serve until SIGTERM.
const config = loadPlatformConfig();
const telemetry = startTelemetry('platform-api', config);
const logger = createLogger('platform-api', config.LOG_LEVEL);

const db = createDb({ url: config.DATABASE_URL, label: 'platform' });
const migrated = await migratePlatform(db);
if (migrated.applied.length) logger.info({ applied: migrated.applied }, 'platform migrations applied');

// Signup provisions through the operator: in this process (single-machine mode) or, in a cluster, by writing
// a Tenant resource the operator reconciles.
const tenantDriver = await signupDriver();
async function signupDriver() {
  if (config.SIGNUP_DRIVER === 'local') {
    const { createLocalDriver } = await import('@solar/operator/local/driver');
    return createLocalDriver({
      platformDb: db,
      adminDbUrl: config.ADMIN_DATABASE_URL ?? config.DATABASE_URL,
      secretKey: parseKey(config.PLATFORM_SECRET_KEY),
      runtimeEndpoint: config.RUNTIME_ENDPOINT,
      logger,
    });
  }
  if (config.SIGNUP_DRIVER === 'kubernetes') {
    const [{ KubeConfig }, { createKubernetesSignupDriver }] = await Promise.all([
      import('@kubernetes/client-node'),
      import('@solar/operator/kube/signup-driver'),
    ]);
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromDefault(); // in a pod: the service account's token
    return createKubernetesSignupDriver({ kubeConfig, settleTimeoutMs: config.SIGNUP_READY_TIMEOUT_MS });
  }
  return undefined;
}

const api = await startPlatformApi(config, {
  logger,
  db,
  handleSignals: true,
  ...(tenantDriver ? { tenantDriver } : {}),
  onClose: async () => {
    if (tenantDriver && 'close' in tenantDriver) await tenantDriver.close();
    await db.destroy();
    await telemetry.shutdown();
  },
});
logger.info({ port: api.port, baseDomain: config.BASE_DOMAIN }, 'platform-api listening');
