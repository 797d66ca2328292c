import { createHash } from 'node:crypto';
import { AppError, type Logger } from '@solar/common';
import type { RetryLater } from '../http/error-handler.js';
import { createResilientLimiter } from '../rate-limit/resilient-limiter.js';
import type { Redis } from '../redis/redis-client.js';

/** Back-off in force: answered before any password or code is looked at. */
export class TooManyAttempts extends AppError implements RetryLater {
  readonly status = 429;
  readonly code = 'TOO_MANY_ATTEMPTS';
  constructor(readonly retryAfterSeconds: number) {
    super(`Too many failed sign-in attempts; try again in ${retryAfterSeconds} seconds`);
  }
}

export interface ThrottleSettings {
  accountThreshold: number;
  ipThreshold: number;
  baseDelaySeconds: number;
  maxDelaySeconds: number;
  windowSeconds: number;
  keyPrefix: string;
}

export interface Attempt {
  tenantId: string;
  /** normalised email; only its hash reaches Redis */
  email: string;
  ip: string;
}

/** An attempt already counted by `begin`, to be settled with failed / passed / succeeded. */
export interface Ticket {
  attempt: Attempt;
  counts: Record<Lockout['scope'], number>;
  /** scopes past their threshold, whose single in-flight slot this attempt holds */
  gated: Array<Lockout['scope']>;
}

export interface Lockout {
  scope: 'account' | 'ip';
  failures: number;
  delaySeconds: number;
}

export interface SignInThrottle {
  /**
   * Counts the attempt up front, so a burst of parallel guesses cannot slip past the threshold before the
   * first failure is recorded; throws TooManyAttempts while the account or the IP is backing off.
   */
  begin(attempt: Attempt): Promise<Ticket>;
  /** The attempt failed; returns the back-offs it started (for the audit log). */
  failed(ticket: Ticket): Promise<Lockout[]>;
  /** The step passed but sign-in is not complete (MFA comes next): the attempt is given back, nothing reset. */
  passed(ticket: Ticket): Promise<void>;
  /** Signed in: the account's failures are cleared; the IP gets this attempt back (its failures stay, so one good account cannot launder them). */
  succeeded(ticket: Ticket): Promise<void>;
}

/**
 * Brute-force protection for sign-in and MFA codes, per (tenant, email) and per IP. After `threshold`
 * failures in the window, each failure blocks the key for base·2^(failures−threshold) seconds (capped),
 * during which attempts are refused without checking the password. Counters live in Redis and fall back to
 * this process while Redis is unreachable.
 */
export function createSignInThrottle(
  redis: Redis,
  settings: ThrottleSettings,
  logger: Logger,
): SignInThrottle {
  const limiter = (name: string, points: number, durationSeconds = settings.windowSeconds) =>
    createResilientLimiter(redis, settings.keyPrefix, { name, points, durationSeconds }, logger);
  /** A slot left by a crashed request frees itself after this long. */
  const GATE_SECONDS = 30;
  const scopes = [
    {
      scope: 'account' as const,
      threshold: settings.accountThreshold,
      key: (a: Attempt) => `${a.tenantId}:${createHash('sha256').update(a.email).digest('base64url')}`,
      failures: limiter('signin-fail-account', settings.accountThreshold),
      blocks: limiter('signin-block-account', 1),
      gate: limiter('signin-gate-account', 1, GATE_SECONDS),
    },
    {
      scope: 'ip' as const,
      threshold: settings.ipThreshold,
      key: (a: Attempt) => a.ip || 'unknown',
      failures: limiter('signin-fail-ip', settings.ipThreshold),
      blocks: limiter('signin-block-ip', 1),
      gate: limiter('signin-gate-ip', 1, GATE_SECONDS),
    },
  ];
  const delayFor = (failures: number, threshold: number) =>
    Math.min(settings.maxDelaySeconds, settings.baseDelaySeconds * 2 ** Math.min(30, failures - threshold));

  async function release(ticket: Ticket): Promise<void> {
    for (const s of scopes) if (ticket.gated.includes(s.scope)) await s.gate.reset(s.key(ticket.attempt));
    ticket.gated = [];
  }

  return {
    async begin(attempt) {
      let waitMs = 0;
      for (const s of scopes) {
        const block = await s.blocks.peek(s.key(attempt));
        if (block && !block.allowed) waitMs = Math.max(waitMs, block.msBeforeReset);
      }
      if (waitMs > 0) throw new TooManyAttempts(Math.max(1, Math.ceil(waitMs / 1000)));

      const ticket: Ticket = { attempt, counts: { account: 0, ip: 0 }, gated: [] };
      for (const s of scopes) {
        const { consumed } = await s.failures.consume(s.key(attempt));
        ticket.counts[s.scope] = consumed;
        if (consumed < s.threshold) continue;
        // Past the threshold only one attempt at a time is checked: a parallel burst cannot get more
        // guesses verified than the threshold allows. The slot is freed when the attempt is settled.
        const slot = await s.gate.consume(s.key(attempt));
        if (!slot.allowed) {
          await release(ticket);
          throw new TooManyAttempts(1);
        }
        ticket.gated.push(s.scope);
      }
      return ticket;
    },
    async failed(ticket) {
      const { attempt, counts } = ticket;
      const started: Lockout[] = [];
      for (const s of scopes) {
        const failures = counts[s.scope];
        if (failures < s.threshold) continue;
        const delaySeconds = delayFor(failures, s.threshold);
        await s.blocks.block(s.key(attempt), delaySeconds);
        started.push({ scope: s.scope, failures, delaySeconds });
      }
      // only now, with the block in place, may the next attempt take the slot
      await release(ticket);
      return started;
    },
    async passed(ticket) {
      await release(ticket);
      for (const s of scopes) await s.failures.reward(s.key(ticket.attempt));
    },
    async succeeded(ticket) {
      const { attempt } = ticket;
      await release(ticket);
      const [account, ip] = scopes;
      await account!.failures.reset(account!.key(attempt));
      await account!.blocks.reset(account!.key(attempt));
      await ip!.failures.reward(ip!.key(attempt));
    },
  };
}
