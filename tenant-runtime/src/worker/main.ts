import { createDb, createLogger, serve, startTelemetry, type Served } from '@solar/common';
import { loadWorkerConfig } from '../config.js';
import { buildWorker } from './build-worker.js';
import { workerHealth } from './worker-health.js';

// The outbox worker: a separate program from the runtime's HTTP API. It relays every Ready tenant's
// outbox to BullMQ and runs the consumers; /healthz and /readyz on WORKER_PORT.
const config = loadWorkerConfig();
const telemetry = startTelemetry('tenant-worker', config);
const logger = createLogger('tenant-worker', config.LOG_LEVEL);
const platformDb = createDb({ url: config.DATABASE_URL, pool: { min: 0, max: 3 }, label: 'platform' });
const worker = buildWorker({ config, logger, platformDb });

const server: { served?: Served } = {};
const served = await serve(
  workerHealth({ ready: worker.ready, isAccepting: () => server.served?.lifecycle.accepting ?? true }),
  {
    port: config.WORKER_PORT,
    logger,
    graceMs: config.SHUTDOWN_GRACE_MS,
    // SIGTERM: /readyz turns 503, then the relay stops, jobs in progress finish, queue and pools close
    onClose: async () => {
      await worker.close();
      await platformDb.destroy();
      await telemetry.shutdown();
    },
  },
);
server.served = served;
logger.info({ port: served.port, mode: config.MODE, queue: config.OUTBOX_QUEUE }, 'outbox worker running');
