import { randomUUID } from 'node:crypto';
import type { Middleware } from './koa.js';

/** Incoming ids are kept only when they look like ids, so logs cannot be stuffed through this header. */
const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Accepts a well-formed X-Request-Id from the caller or makes one, and echoes it on the response. */
export function requestId(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get(REQUEST_ID_HEADER);
    ctx.state.requestId = WELL_FORMED.test(incoming) ? incoming : randomUUID();
    ctx.set(REQUEST_ID_HEADER, ctx.state.requestId);
    await next();
  };
}
