import { CHANGE_CHANNEL_PREFIX, changeMessageSchema, type EntityChange, type Logger } from '@solar/common';
import { Redis } from 'ioredis';

export type ChangeListener = (changes: readonly EntityChange[]) => void;

export interface ChangeFeed {
  /**
   * Calls `listener` with every committed change the runtime publishes for `tenantId`. The first listener of
   * a tenant subscribes its Redis channel; the returned function removes the listener, and the last one to
   * leave unsubscribes the channel again.
   */
  listen(tenantId: string, listener: ChangeListener): Promise<() => Promise<void>>;
  /** listeners currently registered for a tenant (0 once every subscription has ended) */
  listenerCount(tenantId: string): number;
  close(): Promise<void>;
}

/**
 * Committed changes from Redis, for GraphQL subscriptions. One subscriber connection per runtime process
 * (opened on first use), subscribed per tenant on demand: a process serving 1,000 tenants listens only to
 * the channels someone is watching. Messages are the @solar/common change-message contract, published by
 * the outbox worker after the write committed; one whose tenant disagrees with its channel is dropped.
 */
export function createChangeFeed(options: {
  redisUrl: string;
  logger: Logger;
  /** tests use their own channels */
  channelPrefix?: string;
}): ChangeFeed {
  const prefix = options.channelPrefix ?? CHANGE_CHANNEL_PREFIX;
  const listeners = new Map<string, Set<ChangeListener>>();
  let subscriber: Redis | undefined;

  const connection = () => {
    if (!subscriber) {
      subscriber = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 });
      subscriber.on('error', (err: Error) =>
        options.logger.warn({ err: err.message }, 'change feed: redis error'),
      );
      subscriber.on('message', (channel: string, text: string) => {
        const tenantId = channel.slice(prefix.length);
        const set = listeners.get(tenantId);
        if (!set?.size) return;
        let parsed;
        try {
          parsed = changeMessageSchema.safeParse(JSON.parse(text));
        } catch {
          parsed = undefined;
        }
        if (!parsed?.success || parsed.data.tenantId !== tenantId) {
          options.logger.warn({ tenant: tenantId }, 'change feed: malformed change message dropped');
          return;
        }
        for (const listener of set) listener(parsed.data.changes);
      });
    }
    return subscriber;
  };

  return {
    async listen(tenantId, listener) {
      let set = listeners.get(tenantId);
      if (!set) {
        set = new Set();
        listeners.set(tenantId, set);
      }
      const first = set.size === 0;
      set.add(listener);
      if (first) {
        try {
          await connection().subscribe(prefix + tenantId);
        } catch (err) {
          set.delete(listener);
          if (!set.size) listeners.delete(tenantId);
          throw err;
        }
      }
      let removed = false;
      return async () => {
        if (removed) return;
        removed = true;
        set.delete(listener);
        if (set.size || listeners.get(tenantId) !== set) return;
        listeners.delete(tenantId);
        await subscriber?.unsubscribe(prefix + tenantId).catch((err: unknown) => {
          options.logger.warn({ err, tenant: tenantId }, 'change feed: unsubscribe failed');
        });
      };
    },
    listenerCount(tenantId) {
      return listeners.get(tenantId)?.size ?? 0;
    },
    async close() {
      listeners.clear();
      subscriber?.disconnect();
      subscriber = undefined;
    },
  };
}
