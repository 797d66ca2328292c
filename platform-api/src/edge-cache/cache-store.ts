import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { RedisClient } from '../redis/redis-client.js';

/**
 * Where the edge cache keeps its answers, in Redis:
 *   <prefix>ec:{<tenant>}:e:<key>    one cached answer (JSON), with a TTL
 *   <prefix>ec:{<tenant>}:t:<tag>    set of entry keys carrying the tag: the tenant's tag index
 *   <prefix>ec:{<tenant>}:epoch      bumped by every invalidation of the tenant
 *   <prefix>ec:gen                   bumped to drop everything (change events may have been missed)
 * Every name holds the tenant, so neither a lookup nor an invalidation can reach another tenant's entries.
 */
export interface CachedAnswer {
  status: number;
  /** only the allow-listed representation headers (content-type…), never Set-Cookie */
  headers: Record<string, string>;
  body: Buffer;
  etag: string;
}

export interface Lookup {
  answer: CachedAnswer | null;
  /** what a store after this lookup must still find, or it is skipped (an invalidation ran meanwhile) */
  epoch: string;
  generation: string;
}

export interface EdgeCacheStore {
  lookup(tenantId: string, key: string): Promise<Lookup>;
  /** false when an invalidation of the tenant (or a flush) happened since `seen` was read */
  store(
    tenantId: string,
    key: string,
    answer: CachedAnswer,
    tags: readonly string[],
    seen: Lookup,
  ): Promise<boolean>;
  /** Removes every entry of `tenantId` carrying one of `tags`; returns how many entries were removed. */
  invalidate(tenantId: string, tags: readonly string[]): Promise<number>;
  /** Makes every cached answer of every tenant unreachable (they expire on their own). */
  flushAll(): Promise<void>;
  readonly ttlSeconds: number;
}

const entrySchema = z.object({
  s: z.number().int(),
  h: z.record(z.string(), z.string()),
  b: z.string(),
  e: z.string(),
  g: z.string(),
});

// KEYS: entry, epoch, tag keys…  ARGV: payload, entry ttl ms, epoch seen, tag ttl ms
const STORE_SCRIPT = `
if (redis.call('GET', KEYS[2]) or '0') ~= ARGV[3] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
for i = 3, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
end
return 1`;

// KEYS: epoch, tag keys…  ARGV: epoch ttl ms
const INVALIDATE_SCRIPT = `
local removed = 0
for i = 2, #KEYS do
  for _, entry in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    removed = removed + redis.call('DEL', entry)
  end
  redis.call('DEL', KEYS[i])
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return removed`;

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export function createEdgeCacheStore(options: {
  client: RedisClient;
  keyPrefix: string;
  ttlSeconds: number;
}): EdgeCacheStore {
  const { client, keyPrefix, ttlSeconds } = options;
  const ttlMs = ttlSeconds * 1000;
  // A tag set outlives every entry it names (all entries share one TTL), so no entry escapes invalidation.
  const tagTtlMs = ttlMs + 60_000;
  const tenantBase = (tenantId: string) => `${keyPrefix}ec:{${tenantId}}:`;
  const generationKey = `${keyPrefix}ec:gen`;

  const run = async (script: string, keys: string[], args: string[]): Promise<number> => {
    try {
      return Number(await client.evalSha(sha1(script), { keys, arguments: args }));
    } catch (err) {
      if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
      return Number(await client.eval(script, { keys, arguments: args }));
    }
  };

  return {
    ttlSeconds,
    async lookup(tenantId, key) {
      const base = tenantBase(tenantId);
      const [raw, epoch, generation] = await client.mGet([`${base}e:${key}`, `${base}epoch`, generationKey]);
      const seen = { epoch: epoch ?? '0', generation: generation ?? '0' };
      if (!raw) return { answer: null, ...seen };
      const parsed = entrySchema.safeParse(JSON.parse(raw));
      if (!parsed.success || parsed.data.g !== seen.generation) return { answer: null, ...seen };
      const { s, h, b, e } = parsed.data;
      return { answer: { status: s, headers: h, body: Buffer.from(b, 'base64'), etag: e }, ...seen };
    },
    async store(tenantId, key, answer, tags, seen) {
      const base = tenantBase(tenantId);
      const payload = JSON.stringify({
        s: answer.status,
        h: answer.headers,
        b: answer.body.toString('base64'),
        e: answer.etag,
        g: seen.generation,
      });
      const stored = await run(
        STORE_SCRIPT,
        [`${base}e:${key}`, `${base}epoch`, ...tags.map((t) => `${base}t:${t}`)],
        [payload, String(ttlMs), seen.epoch, String(tagTtlMs)],
      );
      return stored === 1;
    },
    async invalidate(tenantId, tags) {
      const base = tenantBase(tenantId);
      return run(
        INVALIDATE_SCRIPT,
        [`${base}epoch`, ...tags.map((t) => `${base}t:${t}`)],
        [String(tagTtlMs)],
      );
    },
    async flushAll() {
      await client.incr(generationKey);
    },
  };
}
