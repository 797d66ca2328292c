import { AppError, errorBody } from '@solar/common';
import type { RuntimeState } from '../context.js';
import type { Middleware } from './koa.js';

/**
 * The one place typed errors become HTTP answers outside GraphQL: `{ error: { code, message, fields? } }`
 * with the error's status. Anything untyped is a bug: logged in full, answered as a bare 500.
 */
export function errorHandler(): Middleware<RuntimeState> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof AppError) {
        ctx.status = err.status;
        ctx.body = errorBody(err);
        if (err.status === 401) ctx.set('WWW-Authenticate', 'Bearer');
        if (err.status >= 500) ctx.state.log.warn({ code: err.code, msg: err.message }, 'request refused');
        return;
      }
      ctx.state.log.error({ err }, 'unhandled error');
      ctx.status = 500;
      ctx.body = { error: { code: 'INTERNAL', message: 'Something went wrong on our side' } };
    }
  };
}
