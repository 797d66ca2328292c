import { AppError, type Logger } from '@solar/common';
import type { RetryLater } from '../http/error-handler.js';
import type { Middleware } from '../http/koa.js';
import type { Redis } from '../redis/redis-client.js';
import { limitsFor, type PlanLimitTable, type PlanLimits } from './plan-limits.js';
import { createResilientLimiter, type ResilientLimiter } from './resilient-limiter.js';

export class RateLimited extends AppError implements RetryLater {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests; try again in ${retryAfterSeconds} seconds`);
  }
}

export interface RateLimitOptions {
  redis: Redis;
  keyPrefix: string;
  windowSeconds: number;
  plans: PlanLimitTable;
  logger: Logger;
}

/** every tenant route: the API itself, REST, sign-in and tokens (public forms have their own limiter) */
const LIMITED_PATH = /^\/(graphql|auth|api\/v1|oauth)(\/|$)/;

/**
 * Per-tenant, per-user and per-IP request limits on /graphql, /api/v1, /auth/* and /oauth/*, sized by the
 * tenant's plan.
 * Every answer carries RateLimit-Limit/-Remaining/-Reset for the tightest of the three; over any of them
 * the request is refused with 429 RATE_LIMITED and Retry-After. Counts live in Redis, or in this process
 * while Redis is unreachable (requests are still served).
 */
export function rateLimit(options: RateLimitOptions): Middleware {
  // One counter per key kind; an address keeps one count whichever tenant (plan) it calls, and each
  // request is judged against the limit of the plan involved.
  const scopes = ['ip', 'tenant', 'user'] as const;
  const counters = Object.fromEntries(
    scopes.map((scope) => [
      scope,
      createResilientLimiter(
        options.redis,
        options.keyPrefix,
        {
          name: `rl-${scope}`,
          points: Math.max(...Object.values(options.plans).map((p) => p[scope])),
          durationSeconds: options.windowSeconds,
        },
        options.logger,
      ),
    ]),
  ) as Record<keyof PlanLimits, ResilientLimiter>;

  const count = async (scope: keyof PlanLimits, key: string, limit: number): Promise<Judged> => {
    const state = await counters[scope].consume(key);
    return {
      limit,
      remaining: Math.max(0, limit - state.consumed),
      msBeforeReset: state.msBeforeReset,
      allowed: state.consumed <= limit,
    };
  };

  return async (ctx, next) => {
    if (!LIMITED_PATH.test(ctx.path)) return next();
    const { tenant, principal, apiKey } = ctx.state;
    const { limits } = limitsFor(options.plans, tenant?.plan);
    const checks: Array<Promise<Judged>> = [count('ip', ctx.ip || 'unknown', limits.ip)];
    if (tenant) checks.push(count('tenant', tenant.id, limits.tenant));
    if (principal) checks.push(count('user', principal.identityId, limits.user));
    else if (apiKey) checks.push(count('user', `key:${apiKey.keyId}`, limits.user));
    const states = await Promise.all(checks);

    const tightest = states.reduce((a, b) =>
      b.remaining < a.remaining || (b.remaining === a.remaining && b.msBeforeReset > a.msBeforeReset) ? b : a,
    );
    ctx.set('RateLimit-Limit', String(tightest.limit));
    ctx.set('RateLimit-Remaining', String(tightest.remaining));
    ctx.set('RateLimit-Reset', String(Math.ceil(tightest.msBeforeReset / 1000)));
    const refused = states.filter((s) => !s.allowed);
    if (refused.length) {
      const waitMs = Math.max(...refused.map((s) => s.msBeforeReset));
      throw new RateLimited(Math.max(1, Math.ceil(waitMs / 1000)));
    }
    await next();
  };
}

interface Judged {
  limit: number;
  remaining: number;
  msBeforeReset: number;
  allowed: boolean;
}
