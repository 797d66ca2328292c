import { randomUUID } from 'node:crypto';
import { withSpan, type Logger } from '@solar/common';
import type { RuntimeState } from '../context.js';
import type { Middleware } from './koa.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const QUIET_PATHS = new Set(['/healthz', '/readyz']);

/**
 * First middleware: gives the request its id (platform-api's X-Request-Id, or a fresh one), a child logger,
 * and a server span around everything that follows; logs one line when the response is ready.
 */
export function requestContext(logger: Logger): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const incoming = ctx.get('x-request-id');
    const requestId = REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', requestId);
    ctx.state.requestId = requestId;
    ctx.state.log = logger.child({ requestId });
    const started = performance.now();
    await withSpan(
      'tenant-runtime',
      `${ctx.method} ${ctx.path}`,
      { 'http.request.method': ctx.method, 'url.path': ctx.path, 'request.id': requestId },
      async (span) => {
        try {
          await next();
        } finally {
          span.setAttribute('http.response.status_code', ctx.status);
          if (ctx.state.caller) span.setAttribute('tenant.id', ctx.state.caller.tenantId);
          const line = {
            method: ctx.method,
            path: ctx.path,
            status: ctx.status,
            ms: Math.round(performance.now() - started),
          };
          if (QUIET_PATHS.has(ctx.path)) ctx.state.log.debug(line, 'request');
          else ctx.state.log.info(line, 'request');
        }
      },
    );
  };
}
