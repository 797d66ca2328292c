import type { Logger } from '@solar/common';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Redis } from '../redis/redis-client.js';

export interface LimiterOptions {
  /** names the counters in Redis keys and logs */
  name: string;
  points: number;
  durationSeconds: number;
}

export interface LimitState {
  /** false when this call went over the limit (or the key is blocked) */
  allowed: boolean;
  limit: number;
  remaining: number;
  /** milliseconds until the window (or block) ends */
  msBeforeReset: number;
  /** points counted in the current window, this call included */
  consumed: number;
}

/** A counter with a window that survives Redis outages by counting in this process instead. */
export interface ResilientLimiter {
  consume(key: string, points?: number): Promise<LimitState>;
  /** The current state without counting; null when the key has no counter. */
  peek(key: string): Promise<LimitState | null>;
  /** Over the limit for `seconds`, whatever the count. */
  block(key: string, seconds: number): Promise<void>;
  reset(key: string): Promise<void>;
  /** Gives points back (a counted attempt turned out fine). */
  reward(key: string, points?: number): Promise<void>;
}

/**
 * rate-limiter-flexible on Redis with a RateLimiterMemory twin. The library's own insurance limiter would
 * fall back silently; doing it here lets us log the switch (once per outage, see connectRedis) and keeps
 * "over the limit" and "store failed" apart.
 */
export function createResilientLimiter(
  redis: Redis,
  keyPrefix: string,
  options: LimiterOptions,
  logger: Logger,
): ResilientLimiter {
  const common = {
    points: options.points,
    duration: options.durationSeconds,
    keyPrefix: `${keyPrefix}${options.name}`,
  };
  const remote = new RateLimiterRedis({
    ...common,
    storeClient: redis.client,
    useRedisPackage: true,
    rejectIfRedisNotReady: true,
  });
  const local = new RateLimiterMemory(common);
  let warned = 0;

  async function run<T>(op: (limiter: RateLimiterRedis | RateLimiterMemory) => Promise<T>): Promise<T> {
    if (!redis.ready) return op(local);
    try {
      return await op(remote);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw err;
      if (Date.now() - warned > 30_000) {
        warned = Date.now();
        logger.warn(
          { limiter: options.name, err: { message: (err as Error).message } },
          'redis limiter failed; counting in memory',
        );
      }
      return op(local);
    }
  }

  const state = (res: RateLimiterRes, allowed: boolean): LimitState => ({
    allowed,
    limit: options.points,
    remaining: Math.max(0, res.remainingPoints),
    msBeforeReset: Math.max(0, res.msBeforeNext),
    consumed: res.consumedPoints,
  });

  return {
    async consume(key, points = 1) {
      try {
        return state(await run((l) => l.consume(key, points)), true);
      } catch (err) {
        if (err instanceof RateLimiterRes) return state(err, false);
        throw err;
      }
    },
    async peek(key) {
      const res = await run((l) => l.get(key));
      return res ? state(res, res.consumedPoints <= options.points) : null;
    },
    async block(key, seconds) {
      await run((l) => l.block(key, seconds));
    },
    async reset(key) {
      await run((l) => l.delete(key));
    },
    async reward(key, points = 1) {
      await run((l) => l.reward(key, points));
    },
  };
}
