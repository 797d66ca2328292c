import { Router } from '@koa/router';
import { isReachable, type Knex, type Lifecycle } from '@solar/common';
import type { AppContext } from '../http/koa.js';

/**
 * /healthz: the process is up (liveness). /readyz: it should get traffic (readiness): the platform DB
 * answers and shutdown has not begun.
 */
export function healthRoutes({ db, lifecycle }: { db: Knex; lifecycle: Lifecycle }): Router {
  const router = new Router();
  router.get('/healthz', (ctx: AppContext) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx: AppContext) => {
    ctx.set('Cache-Control', 'no-store');
    const checks = {
      accepting: lifecycle.accepting,
      database: lifecycle.accepting && (await isReachable(db, 1_000)),
    };
    const ready = checks.accepting && checks.database;
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks };
  });
  return router;
}
