import { AppError } from '@solar/common';
import CircuitBreaker from 'opossum';
import type { Dispatcher } from 'undici';
import type { RetryLater } from '../http/error-handler.js';

/** A runtime's circuit is open: it failed too often lately, so it is not asked again for a while. */
export class RuntimeUnavailable extends AppError implements RetryLater {
  readonly status = 503;
  readonly code = 'RUNTIME_UNAVAILABLE';
  constructor(readonly retryAfterSeconds: number) {
    super('This workspace is not answering right now; try again shortly');
  }
}

export interface BreakerOptions {
  /** the circuit opens when more than this share (%) of the window's requests failed… */
  errorPercent: number;
  /** …and at least this many were made in it */
  minRequests: number;
  windowMs: number;
  /** how long an open circuit refuses at once before one probe request may pass (half-open) */
  resetMs: number;
}

export interface RetryOptions {
  /** further attempts after the first, for idempotent requests only */
  retries: number;
  /** the first retry's delay; each further one doubles (±25 % jitter) */
  delayMs: number;
}

type Answer = Dispatcher.ResponseData;

/** A 503 from the runtime, thrown inside the breaker so it counts as a failure; the answer rides along. */
class AnsweredUnavailable extends Error {
  constructor(readonly answer: Answer) {
    super('runtime answered 503');
  }
}

/** Errors raised before the runtime saw the request: retrying them cannot repeat any work. */
const CONNECT_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const isConnectError = (err: unknown) => CONNECT_ERRORS.has((err as { code?: string }).code ?? '');
/** The client went away: nothing to say about the runtime's health. */
const isAbort = (err: unknown) => (err as { name?: string }).name === 'AbortError';

export interface RuntimeBreakers {
  /**
   * Sends one request to the runtime at `origin` through that runtime's circuit breaker. `send` must
   * resolve when the answer's headers arrived (undici's request()); the body is the caller's to read.
   * Idempotent requests are retried on connection errors and 503 answers, never once the runtime started
   * answering anything else. An open circuit throws RuntimeUnavailable at once.
   */
  send(origin: string, idempotent: boolean, send: () => Promise<Answer>): Promise<Answer>;
  /** the circuit's state, for tests and health views */
  state(origin: string): 'closed' | 'open' | 'half-open';
}

/**
 * One opossum circuit breaker per runtime origin: a pooled runtime's tenants share one, a dedicated
 * runtime has its own, so one sick runtime never trips another's. Failures are connection errors,
 * header timeouts and 503 answers; application errors (500, 4xx) are answers and count as successes.
 */
export function createRuntimeBreakers(breaker: BreakerOptions, retry: RetryOptions): RuntimeBreakers {
  const breakers = new Map<string, CircuitBreaker<[() => Promise<Answer>], Answer>>();
  const retryAfterSeconds = Math.max(1, Math.ceil(breaker.resetMs / 1000));

  function forOrigin(origin: string) {
    let found = breakers.get(origin);
    if (!found) {
      found = new CircuitBreaker(
        async (send: () => Promise<Answer>) => {
          const answer = await send();
          if (answer.statusCode === 503) throw new AnsweredUnavailable(answer);
          return answer;
        },
        {
          timeout: false, // undici's connect/headers timeouts apply; a second clock would only disagree
          errorThresholdPercentage: breaker.errorPercent,
          volumeThreshold: breaker.minRequests,
          rollingCountTimeout: breaker.windowMs,
          resetTimeout: breaker.resetMs,
          // true = "not a failure": a client that left says nothing about the runtime
          errorFilter: isAbort,
        },
      );
      breakers.set(origin, found);
    }
    return found;
  }

  return {
    async send(origin, idempotent, send) {
      const circuit = forOrigin(origin);
      const attempts = idempotent ? 1 + retry.retries : 1;
      for (let attempt = 1; ; attempt++) {
        const last = attempt >= attempts;
        try {
          return await circuit.fire(send);
        } catch (err) {
          if ((err as { code?: string }).code === 'EOPENBREAKER')
            throw new RuntimeUnavailable(retryAfterSeconds);
          if (err instanceof AnsweredUnavailable) {
            if (last) return err.answer; // the runtime's own 503 goes to the client as it is
            await err.answer.body.dump(); // free the pooled connection before trying again
          } else if (last || !isConnectError(err)) {
            throw err;
          }
        }
        await sleep(retry.delayMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5));
      }
    },
    state(origin) {
      const circuit = breakers.get(origin);
      if (!circuit || circuit.closed) return 'closed';
      return circuit.halfOpen ? 'half-open' : 'open';
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
