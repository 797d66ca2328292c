import { Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Knex, Logger } from '@solar/common';
import { storedEventSchema, type StoredEvent } from './domain-event.js';
import type { EventConsumer } from './event-consumer.js';

export interface OutboxWorkerOptions {
  connection: ConnectionOptions;
  name?: string;
  prefix?: string;
  concurrency?: number;
  consumers: readonly EventConsumer[];
  /** the tenant's own pool, as the tenant's own DB user */
  connect(tenantId: string): Promise<Knex>;
  logger: Logger;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/**
 * Delivers queued events to every consumer. Each attempt is counted on the outbox row; a failure records
 * its reason in `last_error` and BullMQ retries with exponential backoff; after the last attempt the row
 * gets `dead_at` and the job stays in the queue's failed set — the dead letters, with their reason.
 */
export function startOutboxWorker(options: OutboxWorkerOptions): Worker<StoredEvent> {
  const process = async (job: Job<StoredEvent>) => {
    const event = storedEventSchema.parse(job.data);
    const db = await options.connect(event.tenantId);
    const log = options.logger.child({ tenant: event.tenantId, eventId: event.id, type: event.type });
    await db('outbox').where({ id: event.id }).increment('attempts', 1);
    try {
      for (const consumer of options.consumers) await consumer.handle(event, { db, logger: log });
    } catch (err) {
      // attemptsMade counts the failures before this one
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await db('outbox')
        .where({ id: event.id })
        .update({ last_error: message(err), ...(last ? { dead_at: db.raw('CURRENT_TIMESTAMP(3)') } : {}) });
      log.warn({ err, attempt: job.attemptsMade + 1, deadLettered: last }, 'event delivery failed');
      throw err;
    }
    await db('outbox')
      .where({ id: event.id })
      .update({ delivered_at: db.raw('CURRENT_TIMESTAMP(3)') });
  };
  const worker = new Worker<StoredEvent>(options.name ?? 'outbox', process, {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    concurrency: options.concurrency ?? 10,
  });
  worker.on('error', (err) => options.logger.warn({ err }, 'outbox worker: queue connection error'));
  return worker;
}
