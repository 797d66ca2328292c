import type { Logger } from '@solar/common';
import type { AppContext, Middleware } from './koa.js';

/**
 * One line per request with request id, tenant, trace id, status and duration. Only method and path are
 * logged: never query strings (GraphQL GETs carry variables), headers or bodies.
 */
export function requestLog(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = performance.now();
    ctx.state.log = logger.child({ requestId: ctx.state.requestId });
    try {
      await next();
    } finally {
      // below info (production load runs at warn) the line would be built only to be dropped
      if (ctx.status >= 500 || logger.isLevelEnabled('info')) logLine(ctx, started);
    }
  };
}

function logLine(ctx: AppContext, started: number): void {
  const line = {
    method: ctx.method,
    path: ctx.path,
    status: ctx.status,
    ms: Math.round(performance.now() - started),
    tenant: ctx.state.tenant?.slug,
    traceId: ctx.state.traceId,
    userId: ctx.state.principal?.identityId,
  };
  if (ctx.status >= 500) ctx.state.log.error(line, 'request failed');
  else ctx.state.log.info(line, 'request');
}
