import { createDb, createLogger, serve, startTelemetry, type Served } from '@solar/common';
import { buildRuntime } from './app.js';
import { loadRuntimeConfig } from './config.js';

const config = loadRuntimeConfig();
const telemetry = startTelemetry('tenant-runtime', config);
const logger = createLogger('tenant-runtime', config.LOG_LEVEL);
const platformDb = createDb({ url: config.DATABASE_URL, pool: { min: 0, max: 5 }, label: 'platform' });

// serve() owns the lifecycle, but the app (its /readyz) is built first
const server: { served?: Served } = {};
const runtime = await buildRuntime({
  config,
  logger,
  platformDb,
  isAccepting: () => server.served?.lifecycle.accepting ?? true,
});

const served = await serve(runtime.app.callback(), {
  port: config.PORT,
  logger,
  graceMs: config.SHUTDOWN_GRACE_MS,
  // after the last in-flight request: every tenant pool, the registry pool, then flush telemetry
  onClose: async () => {
    await runtime.close();
    await platformDb.destroy();
    await telemetry.shutdown();
  },
});
server.served = served;
logger.info({ port: served.port, mode: config.MODE }, 'tenant runtime listening');
