import type { Logger } from '@solar/common';
import { createClient } from 'redis';

const newClient = (url: string) =>
  createClient({
    url,
    disableOfflineQueue: true,
    socket: { connectTimeout: 1_000, reconnectStrategy: (retries) => Math.min(250 * 2 ** retries, 5_000) },
  });
export type RedisClient = ReturnType<typeof newClient>;

export interface Redis {
  client: RedisClient;
  /** true while connected; callers fall back to in-process state when it is false */
  readonly ready: boolean;
  close(): Promise<void>;
}

/**
 * A Redis client that never makes a request wait for Redis: commands fail at once while disconnected (no
 * offline queue), reconnection runs in the background, and each outage is logged once when it starts and
 * once when it ends.
 */
export function connectRedis(url: string, logger: Logger): Redis {
  const client = newClient(url);
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn(
      { err: { message: err.message } },
      'redis unavailable: rate limits and lockouts use in-memory counters',
    );
  });
  client.on('ready', () => {
    if (down) logger.info('redis reachable again');
    down = false;
  });
  // Not awaited: the front door starts (and serves) whether or not Redis is up.
  client.connect().catch(() => {});
  return {
    client,
    get ready() {
      return client.isReady;
    },
    async close() {
      if (client.isOpen) await client.close();
      else client.destroy();
    },
  };
}
