import { z } from 'zod';

/**
 * Tells platform-api's edge cache which entities changed, so cached answers that carry them (tags
 * `Type:id`, and `Type:*` for lists) are dropped. One Redis channel per tenant, `solar:changes:<tenantId>`,
 * with the tenant repeated in the message; the subscriber accepts a message only when both agree.
 * Call it after the write has committed: a cache refilled before the commit would keep the old answer.
 */
export const CHANGE_CHANNEL_PREFIX = 'solar:changes:';

const changeSchema = z.object({
  type: z.string().regex(/^[A-Z][A-Za-z0-9]{0,63}$/, { message: 'must be a GraphQL type name such as Lead' }),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, { message: 'must be an entity id' }),
});
export type EntityChange = z.infer<typeof changeSchema>;

export const changeMessageSchema = z.object({
  v: z.literal(1),
  tenantId: z.string().regex(/^[a-z0-9]{12}$/),
  changes: z.array(changeSchema).min(1).max(1000),
});
export type ChangeMessage = z.infer<typeof changeMessageSchema>;

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
