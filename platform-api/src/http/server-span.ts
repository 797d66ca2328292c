import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import type { Middleware } from './koa.js';

const tracer = trace.getTracer('solar-crm/platform-api');
const NO_TRACE = '00000000000000000000000000000000';

/**
 * A server span around the rest of the request, continuing the caller's W3C trace context if it sent one.
 * Everything downstream (DB queries, the upstream call, log lines) runs inside it.
 */
export function serverSpan(): Middleware {
  return async (ctx, next) => {
    const parent = propagation.extract(ROOT_CONTEXT, ctx.req.headers);
    const span = tracer.startSpan(
      `${ctx.method} ${ctx.path}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': ctx.method,
          'url.path': ctx.path,
          'solar.request_id': ctx.state.requestId,
        },
      },
      parent,
    );
    const traceId = span.spanContext().traceId;
    if (traceId !== NO_TRACE) ctx.state.traceId = traceId;
    try {
      await context.with(trace.setSpan(parent, span), next);
      span.setAttribute('http.response.status_code', ctx.status);
      if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      if (ctx.state.tenant) span.setAttribute('solar.tenant', ctx.state.tenant.slug);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  };
}
