import { isReachable, type Knex } from '@solar/common';
import type { RuntimeState } from '../context.js';
import type { Middleware } from './koa.js';

/**
 * /healthz: the process is up (liveness). /readyz: worth sending traffic to — not shutting down and the
 * platform DB (tenant registry) answers. Both answer before authentication; neither reveals tenants.
 */
export function health(deps: { platformDb: Knex; isAccepting: () => boolean }): Middleware<RuntimeState> {
  return async (ctx, next) => {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.path === '/readyz') {
      ctx.set('Cache-Control', 'no-store');
      if (!deps.isAccepting()) {
        ctx.status = 503;
        ctx.body = { status: 'shutting-down' };
        return;
      }
      const platformDb = await isReachable(deps.platformDb, 1_000);
      ctx.status = platformDb ? 200 : 503;
      ctx.body = { status: platformDb ? 'ready' : 'unavailable', checks: { platformDb } };
      return;
    }
    return next();
  };
}
