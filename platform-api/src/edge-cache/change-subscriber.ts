import type { Logger } from '@solar/common';
import type { Redis } from '../redis/redis-client.js';
import { CHANGE_CHANNEL_PREFIX, changeMessageSchema, tagsForChange } from './change-message.js';
import type { EdgeCacheStore } from './cache-store.js';
import { outageLog } from './redis-outage.js';

export interface ChangeSubscriber {
  /** resolves once the subscription is in place (at once if Redis is down: it subscribes when Redis returns) */
  readonly subscribed: Promise<void>;
  close(): Promise<void>;
}

export interface ChangeSubscriberOptions {
  redis: Redis;
  store: EdgeCacheStore;
  logger: Logger;
  /** tests give each run its own channels */
  channelPrefix?: string;
}

/**
 * Listens to the runtimes' change events (one channel per tenant) and drops the cached answers tagged with
 * each changed entity, in that tenant only: the channel names the tenant, the message repeats it, and a
 * message whose two disagree is ignored. Pub/sub keeps nothing for absent listeners, so whenever the
 * subscription (re)starts every cached answer is flushed: an invalidation may have been missed meanwhile.
 */
export function startChangeSubscriber(options: ChangeSubscriberOptions): ChangeSubscriber {
  const { store, logger } = options;
  const prefix = options.channelPrefix ?? CHANGE_CHANNEL_PREFIX;
  const outage = outageLog(logger, 'edge cache invalidation');
  const client = options.redis.client.duplicate();
  let closed = false;
  let resolveSubscribed: () => void = () => {};
  const subscribed = new Promise<void>((resolve) => (resolveSubscribed = resolve));

  const onMessage = (message: string, channel: string) => {
    const channelTenant = channel.slice(prefix.length);
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      payload = undefined;
    }
    const parsed = changeMessageSchema.safeParse(payload);
    if (!parsed.success || parsed.data.tenantId !== channelTenant) {
      logger.warn(
        {
          component: 'edge-cache',
          channel,
          issues: parsed.success
            ? ['tenant differs from channel']
            : parsed.error.issues.map((i) => i.message),
        },
        'edge cache: malformed change message ignored',
      );
      return;
    }
    const tags = [...new Set(parsed.data.changes.flatMap(tagsForChange))];
    store.invalidate(channelTenant, tags).then(
      () => outage.succeeded(),
      (err: unknown) => outage.failed(err),
    );
  };

  // Subscribes (first time only: node-redis re-subscribes by itself after a reconnect), then flushes.
  // A failed attempt is retried while the connection stays up, so the subscription cannot silently lapse.
  const setUp = async (): Promise<void> => {
    try {
      if (!client.isPubSubActive) await client.pSubscribe(`${prefix}*`, onMessage);
      await store.flushAll();
      outage.succeeded();
      resolveSubscribed();
    } catch (err) {
      outage.failed(err);
      if (!closed && client.isReady) setTimeout(() => void setUp(), 1_000).unref();
    }
  };
  client.on('error', (err: Error) => outage.failed(err));
  client.on('ready', () => void setUp());
  client.connect().catch(() => {});

  return {
    subscribed,
    async close() {
      if (closed) return;
      closed = true;
      resolveSubscribed();
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
