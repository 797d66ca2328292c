import { isReachable, parseKey, type Knex, type Logger } from '@solar/common';
import { createMailTransport, type MailTransport } from '@solar/common/mail';
import { Redis } from 'ioredis';
import type { WorkerConfig } from '../config.js';
import { auditConsumer } from '../engine/outbox/audit-consumer.js';
import { cacheInvalidationConsumer } from '../engine/outbox/cache-invalidation-consumer.js';
import type { EventConsumer } from '../engine/outbox/event-consumer.js';
import { createOutboxQueue, type OutboxQueue } from '../engine/outbox/outbox-queue.js';
import { createOutboxRelay, readyTenants, type OutboxRelay } from '../engine/outbox/outbox-relay.js';
import { startOutboxWorker } from '../engine/outbox/outbox-worker.js';
import { createTenantDirectory } from '../engine/tenancy/tenant-directory.js';
import { createTenantPools } from '../engine/tenancy/tenant-pools.js';
import { createTenantRegistry } from '../engine/tenancy/tenant-registry.js';
import { guardPools } from '../engine/data/scope-guard.js';
import { createAccessResolver } from '../modules/access/access-resolver.js';
import { recordSources, scopedTables } from '../modules/index.js';
import {
  createReminderQueue,
  reminderScheduler,
  startReminderWorker,
  type ReminderQueue,
} from '../modules/activities/task-reminders.js';
import {
  createWebhookQueue,
  startWebhookWorker,
  webhookConsumer,
  type WebhookQueue,
} from '../modules/webhooks/webhook-delivery.js';

export interface WorkerDeps {
  config: WorkerConfig;
  logger: Logger;
  platformDb: Knex;
  /** tests publish cache invalidations on their own channels */
  channelPrefix?: string;
  /** outgoing mail; default: SMTP_URL (nothing is sent without it) */
  mail?: MailTransport;
}

export interface BuiltWorker {
  queue: OutboxQueue;
  /** outbound webhook deliveries */
  webhookQueue: WebhookQueue;
  /** task reminders, each delayed until due */
  reminderQueue: ReminderQueue;
  relay: OutboxRelay;
  /** platform DB and Redis both answer */
  ready(): Promise<boolean>;
  /** stop the relay, let the worker finish its jobs, close the queue, Redis and tenant pools */
  close(): Promise<void>;
}

/**
 * The outbox worker, wired: registry → each Ready tenant's own pool → relay → BullMQ queue → worker →
 * consumers (audit log, edge cache invalidation, webhook deliveries, task reminders) → the webhook
 * delivery worker and the reminder worker. Relay and workers start at once.
 */
export function buildWorker(deps: WorkerDeps): BuiltWorker {
  const { config, logger } = deps;
  const registry = createTenantRegistry(deps.platformDb, { ttlMs: config.TENANT_REGISTRY_TTL_MS });
  const tenantPools = createTenantPools({
    url: config.DATABASE_URL,
    maxPerTenant: config.POOL_MAX_PER_TENANT,
    maxOpen: config.MAX_OPEN_TENANT_POOLS,
    logger,
  });
  // webhook payloads read records through the data-access layer: the same guard as the runtime's
  const pools = config.NODE_ENV === 'production' ? tenantPools : guardPools(tenantPools, scopedTables);
  const secretKey = parseKey(config.PLATFORM_SECRET_KEY);
  const directory = createTenantDirectory({ registry, pools, secretKey, logger });
  const connect = async (tenantId: string) => (await directory.connect(tenantId)).db;

  // BullMQ's blocking commands need maxRetriesPerRequest: null
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  redis.on('error', (err: Error) => logger.warn({ err: err.message }, 'worker redis error'));
  const queueOptions = { connection: redis, name: config.OUTBOX_QUEUE, prefix: config.OUTBOX_QUEUE_PREFIX };
  const queue = createOutboxQueue({
    ...queueOptions,
    attempts: config.OUTBOX_ATTEMPTS,
    backoffMs: config.OUTBOX_BACKOFF_MS,
  });
  // outbound webhooks: the consumer enqueues one delivery per (webhook, event); their own worker sends them
  const webhookQueueOptions = {
    connection: redis,
    name: config.WEBHOOK_QUEUE,
    prefix: config.OUTBOX_QUEUE_PREFIX,
  };
  const webhookQueue = createWebhookQueue({
    ...webhookQueueOptions,
    attempts: config.WEBHOOK_ATTEMPTS,
    backoffMs: config.WEBHOOK_BACKOFF_MS,
  });
  const webhookWorker = startWebhookWorker({
    ...webhookQueueOptions,
    concurrency: config.WORKER_CONCURRENCY,
    directory,
    resolveActor: createAccessResolver().resolve,
    scopedTables,
    sources: recordSources,
    secretKey,
    policy: {
      allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
      requireHttps: config.NODE_ENV === 'production',
    },
    logger,
  });
  const reminderQueueOptions = {
    connection: redis,
    name: config.REMINDER_QUEUE,
    prefix: config.OUTBOX_QUEUE_PREFIX,
  };
  const reminderQueue = createReminderQueue(reminderQueueOptions);
  const mail = deps.mail ?? createMailTransport({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM, logger });
  const reminderWorker = startReminderWorker({
    ...reminderQueueOptions,
    concurrency: config.WORKER_CONCURRENCY,
    directory,
    resolveActor: createAccessResolver().resolve,
    scopedTables,
    mail,
    tenantWebUrl: config.TENANT_WEB_URL,
    logger,
  });
  const consumers: EventConsumer[] = [
    auditConsumer,
    cacheInvalidationConsumer(redis, deps.channelPrefix ? { channelPrefix: deps.channelPrefix } : {}),
    webhookConsumer(webhookQueue, recordSources),
    reminderScheduler(reminderQueue),
  ];
  const worker = startOutboxWorker({
    ...queueOptions,
    concurrency: config.WORKER_CONCURRENCY,
    consumers,
    connect,
    logger,
  });
  const relay = createOutboxRelay({
    listTenants: readyTenants(deps.platformDb, config.MODE === 'dedicated' ? config.TENANT_ID : undefined),
    connect,
    queue,
    logger,
    intervalMs: config.OUTBOX_POLL_MS,
    batchSize: config.OUTBOX_BATCH_SIZE,
  });
  relay.start();

  return {
    queue,
    webhookQueue,
    reminderQueue,
    relay,
    async ready() {
      const [db, r] = await Promise.all([
        isReachable(deps.platformDb, 1_000),
        redis.ping().then(
          () => true,
          () => false,
        ),
      ]);
      return db && r;
    },
    async close() {
      await relay.stop();
      await worker.close();
      await webhookWorker.close();
      await reminderWorker.close();
      await queue.close();
      await webhookQueue.close();
      await reminderQueue.close();
      mail.close();
      await pools.close();
      redis.disconnect();
    },
  };
}
