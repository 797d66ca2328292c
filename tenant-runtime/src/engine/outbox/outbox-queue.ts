import { Queue, type ConnectionOptions } from 'bullmq';
import type { StoredEvent } from './domain-event.js';

export interface OutboxQueueOptions {
  connection: ConnectionOptions;
  /** queue name (default `outbox`) */
  name?: string;
  /** Redis key prefix (default `bull`); tests give each file its own */
  prefix?: string;
  /** delivery attempts per event before it is dead-lettered */
  attempts: number;
  /** first retry delay; doubles on each further attempt */
  backoffMs: number;
}

export type OutboxQueue = Queue<StoredEvent>;

/**
 * The queue between the relay and the consumers. Job id = event id, so an event enqueued twice (two relays,
 * or a relay that crashed between enqueueing and marking the row) is one job. Completed jobs are kept a day
 * so that dedupe outlives any relay retry; failed jobs are kept: the failed set is the dead-letter list,
 * each with its reason.
 */
export function createOutboxQueue(options: OutboxQueueOptions): OutboxQueue {
  return new Queue<StoredEvent>(options.name ?? 'outbox', {
    connection: options.connection,
    prefix: options.prefix ?? 'bull',
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: false,
    },
  });
}
