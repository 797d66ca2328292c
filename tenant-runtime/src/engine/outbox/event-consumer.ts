import type { Knex, Logger } from '@solar/common';
import type { StoredEvent } from './domain-event.js';

export interface ConsumerContext {
  /** the event's tenant, through its own DB user */
  db: Knex;
  logger: Logger;
}

/**
 * One effect of a domain event. Delivery is at least once (a retry reruns every consumer of the event),
 * so `handle` must be idempotent: handling the same event twice changes nothing the second time.
 */
export interface EventConsumer {
  name: string;
  handle(event: StoredEvent, ctx: ConsumerContext): Promise<void>;
}
