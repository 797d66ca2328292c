import { randomBytes } from 'node:crypto';
import { createLogger } from '@solar/common';
import { createEdgeCacheStore } from '@solar/platform-api/edge-cache/cache-store';
import { startChangeSubscriber } from '@solar/platform-api/edge-cache/change-subscriber';
import { connectRedis } from '@solar/platform-api/redis/redis-client';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { publishChanges } from './change-publisher.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(5).toString('hex');
const channelPrefix = `test:${run}:changes:`;
const tenantA = randomBytes(6).toString('hex');
const tenantB = randomBytes(6).toString('hex');

const publisher = new Redis(REDIS_URL, { lazyConnect: true });
const listener = new Redis(REDIS_URL, { lazyConnect: true });
const received: Array<{ channel: string; message: unknown }> = [];

beforeAll(async () => {
  await publisher.connect();
  await listener.connect();
  listener.on('pmessage', (_pattern: string, channel: string, message: string) =>
    received.push({ channel, message: JSON.parse(message) }),
  );
  await listener.psubscribe(`${channelPrefix}*`);
});
afterAll(async () => {
  publisher.disconnect();
  listener.disconnect();
});

describe('publishChanges', () => {
  it("publishes one message on the tenant's own channel, naming the tenant and each change once", async () => {
    received.length = 0;
    await publishChanges(
      publisher,
      tenantA,
      [
        { type: 'Lead', id: '123' },
        { type: 'Lead', id: '123' },
        { type: 'Customer', id: 'c-9' },
      ],
      { channelPrefix },
    );
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toEqual({
      channel: `${channelPrefix}${tenantA}`,
      message: {
        v: 1,
        tenantId: tenantA,
        changes: [
          { type: 'Lead', id: '123' },
          { type: 'Customer', id: 'c-9' },
        ],
      },
    });
  });

  it('refuses an invalid type or id, or a malformed tenant, and publishes nothing', async () => {
    received.length = 0;
    await expect(
      publishChanges(publisher, tenantA, [{ type: 'lead*', id: '1' }], { channelPrefix }),
    ).rejects.toThrow();
    await expect(
      publishChanges(publisher, tenantA, [{ type: 'Lead', id: 'a b' }], { channelPrefix }),
    ).rejects.toThrow();
    await expect(
      publishChanges(publisher, 'Not-A-Tenant', [{ type: 'Lead', id: '1' }], { channelPrefix }),
    ).rejects.toThrow();
    await publishChanges(publisher, tenantA, [], { channelPrefix });
    await publishChanges(publisher, tenantB, [{ type: 'Lead', id: 'marker' }], { channelPrefix });
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]!.channel).toBe(`${channelPrefix}${tenantB}`);
  });

  it("is understood by platform-api's edge cache: A's Lead:123 entry goes, B's stays", async () => {
    const logger = createLogger('change-publisher-test', 'silent');
    const redis = connectRedis(REDIS_URL, logger);
    const store = createEdgeCacheStore({ client: redis.client, keyPrefix: `test:${run}:`, ttlSeconds: 60 });
    const subscriber = startChangeSubscriber({ redis, store, logger, channelPrefix });
    await subscriber.subscribed;
    const answer = { status: 200, headers: {}, body: Buffer.from('{}'), etag: '"e"' };
    for (const tenant of [tenantA, tenantB]) {
      const seen = await store.lookup(tenant, 'lead-123');
      expect(await store.store(tenant, 'lead-123', answer, ['Lead:123'], seen)).toBe(true);
    }

    await publishChanges(publisher, tenantA, [{ type: 'Lead', id: '123' }], { channelPrefix });

    await vi.waitFor(async () => expect((await store.lookup(tenantA, 'lead-123')).answer).toBeNull());
    expect((await store.lookup(tenantB, 'lead-123')).answer).not.toBeNull();
    await subscriber.close();
    await redis.close();
  });
});
