import type { RedisClient } from '../redis/redis-client.js';

/**
 * APQ hash → query text, per tenant, in Redis (`<prefix>apq:{<tenant>}:<sha256>`). The runtime has no
 * persisted-operation store of its own yet, so platform-api remembers the text a client registered and
 * forwards it as an ordinary query. Entries are per tenant although the hash alone names the text: a
 * tenant can then only ever run text one of its own callers sent.
 */
export interface PersistedQueryStore {
  get(tenantId: string, hash: string): Promise<string | null>;
  put(tenantId: string, hash: string, query: string): Promise<void>;
}

export function createPersistedQueryStore(options: {
  client: RedisClient;
  keyPrefix: string;
  ttlSeconds: number;
}): PersistedQueryStore {
  const { client, keyPrefix, ttlSeconds } = options;
  const key = (tenantId: string, hash: string) => `${keyPrefix}apq:{${tenantId}}:${hash}`;
  return {
    async get(tenantId, hash) {
      // each use keeps a query in use alive
      return client.getEx(key(tenantId, hash), { type: 'EX', value: ttlSeconds });
    },
    async put(tenantId, hash, query) {
      await client.set(key(tenantId, hash), query, { expiration: { type: 'EX', value: ttlSeconds } });
    },
  };
}
