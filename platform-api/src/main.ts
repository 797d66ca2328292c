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

// Single-machine mode: signup provisions through the operator's local driver in this process.
const tenantDriver =
  config.SIGNUP_DRIVER === 'local'
    ? (await import('@solar/operator/local/driver')).createLocalDriver({
        platformDb: db,
        adminDbUrl: config.ADMIN_DATABASE_URL ?? config.DATABASE_URL,
        secretKey: parseKey(config.PLATFORM_SECRET_KEY),
        runtimeEndpoint: config.RUNTIME_ENDPOINT,
        logger,
      })
    : undefined;

const api = await startPlatformApi(config, {
  logger,
  db,
  handleSignals: true,
  ...(tenantDriver ? { tenantDriver } : {}),
  onClose: async () => {
    await tenantDriver?.close();
    await db.destroy();
    await telemetry.shutdown();
  },
});
logger.info({ port: api.port, baseDomain: config.BASE_DOMAIN }, 'platform-api listening');
