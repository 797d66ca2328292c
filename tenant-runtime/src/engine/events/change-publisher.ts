import { CHANGE_CHANNEL_PREFIX, changeMessageSchema, type EntityChange } from '@solar/common';

/**
 * Tells platform-api's edge cache which entities changed, so cached answers that carry them (tags
 * `Type:id`, and `Type:*` for lists) are dropped; the message shape is the shared contract in
 * @solar/common/change-message. Call it after the write has committed: a cache refilled before the commit
 * would keep the old answer.
 */
export { CHANGE_CHANNEL_PREFIX, changeMessageSchema, type EntityChange };
export type { ChangeMessage } from '@solar/common';

/** The one Redis command needed; ioredis and node-redis clients both fit. */
export interface ChangePublisherRedis {
  publish(channel: string, message: string): Promise<unknown>;
}

export interface PublishOptions {
  /** tests give each run its own channels */
  channelPrefix?: string;
}

/**
 * Publishes one message for `changes` (nothing when empty; duplicates removed). Throws on an invalid type
 * or id, which is a bug in the caller, and when Redis refuses the command: the caller decides whether a
 * lost invalidation is acceptable (the cache entries still expire with their TTL).
 */
export async function publishChanges(
  redis: ChangePublisherRedis,
  tenantId: string,
  changes: readonly EntityChange[],
  options: PublishOptions = {},
): Promise<void> {
  if (!changes.length) return;
  const unique = [...new Map(changes.map((c) => [`${c.type}:${c.id}`, c])).values()];
  const batches: EntityChange[][] = [];
  for (let i = 0; i < unique.length; i += 1000) batches.push(unique.slice(i, i + 1000));
  for (const batch of batches) {
    const message = changeMessageSchema.parse({
      v: 1,
      tenantId,
      changes: batch.map(({ type, id }) => ({ type, id })),
    });
    await redis.publish(
      `${options.channelPrefix ?? CHANGE_CHANNEL_PREFIX}${tenantId}`,
      JSON.stringify(message),
    );
  }
}
