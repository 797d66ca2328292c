import { AppError, errorBody } from '@solar/common';
import type { Middleware } from './koa.js';

/** An AppError that asks the client to come back later (sets Retry-After). */
export interface RetryLater {
  retryAfterSeconds: number;
}

const hasRetryAfter = (err: AppError): err is AppError & RetryLater =>
  typeof (err as Partial<RetryLater>).retryAfterSeconds === 'number';

/**
 * The one place errors become HTTP answers. Typed AppErrors keep their status, code and message; anything
 * else is logged with its stack and answered with a bare 500 so no internals leak. Unmatched routes turn
 * into the same JSON shape.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = { error: { code: 'NOT_FOUND', message: 'No such route' } };
      } else if (ctx.status === 405 && ctx.body === undefined) {
        ctx.body = { error: { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' } };
      }
    } catch (err) {
      if (ctx.headerSent) {
        // The response is already streaming; all that is left is to record it and let the socket close.
        ctx.state.log.warn({ err }, 'error after response started');
        throw err;
      }
      if (isDatabaseDown(err)) {
        ctx.state.log.error({ err }, 'platform database unavailable');
        ctx.status = 503;
        ctx.set('Retry-After', '5');
        ctx.body = { error: { code: 'UNAVAILABLE', message: 'Service temporarily unavailable' } };
      } else if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = errorBody(err);
        if (hasRetryAfter(err)) ctx.set('Retry-After', String(err.retryAfterSeconds));
        if (err.status >= 500) ctx.state.log.warn({ code: err.code }, err.message);
      } else {
        ctx.state.log.error({ err }, 'unhandled error');
        ctx.status = 500;
        ctx.body = { error: { code: 'INTERNAL', message: 'Something went wrong' } };
      }
    }
  };
}

const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'PROTOCOL_CONNECTION_LOST',
  'ETIMEDOUT',
  'ER_CON_COUNT_ERROR',
]);

/** MySQL unreachable or out of connections: a clear 503 rather than a generic 500. */
function isDatabaseDown(err: unknown): boolean {
  const e = err as { code?: string; name?: string };
  return e.name === 'KnexTimeoutError' || (e.code !== undefined && DB_DOWN_CODES.has(e.code));
}
