import { NotFound } from '@solar/common';
import type { RuntimeState } from '../context.js';
import type { Middleware } from './koa.js';

/** Last in the chain: nothing answered, so the path does not exist. */
export function notFound(): Middleware<RuntimeState> {
  return async (ctx) => {
    throw new NotFound(`No route for ${ctx.method} ${ctx.path}`);
  };
}
