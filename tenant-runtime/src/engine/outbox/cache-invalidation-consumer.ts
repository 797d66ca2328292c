import {
  publishChanges,
  type ChangePublisherRedis,
  type PublishOptions,
} from '../events/change-publisher.js';
import type { EventConsumer } from './event-consumer.js';

/**
 * Tells platform-api's edge cache that the event's entity changed. The subscriber drops both the entity's
 * own tag (`Lead:<id>`) and its type's list tag (`Lead:*`) for each change, so one change per event is
 * enough. Publishing twice only invalidates twice: idempotent.
 */
export function cacheInvalidationConsumer(
  redis: ChangePublisherRedis,
  options: PublishOptions = {},
): EventConsumer {
  return {
    name: 'cache-invalidation',
    async handle(event) {
      await publishChanges(redis, event.tenantId, [{ type: event.entityType, id: event.entityId }], options);
    },
  };
}
