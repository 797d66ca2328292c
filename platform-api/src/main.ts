import { createDb, createLogger, startTelemetry } from '@solar/common';
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

const api = await startPlatformApi(config, {
  logger,
  db,
  handleSignals: true,
  onClose: async () => {
    await db.destroy();
    await telemetry.shutdown();
  },
});
logger.info({ port: api.port, baseDomain: config.BASE_DOMAIN }, 'platform-api listening');
