import { context, propagation } from '@opentelemetry/api';
import type { AppContext } from '../http/koa.js';

/**
 * Client headers the runtime may see. An allow-list, so the client's Cookie, Authorization, X-Tenant,
 * Host and hop-by-hop headers can never reach it; identity travels only in the internal token.
 */
const FORWARDED = [
  'content-type',
  'accept',
  'accept-language',
  'user-agent',
  'if-none-match',
  // REST: conditional updates and safe retries of creates
  'if-match',
  'idempotency-key',
  // an event-stream client resuming after a reconnect
  'last-event-id',
];

export function upstreamHeaders(ctx: AppContext, internalToken: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = ctx.get(name);
    if (value) headers[name] = value;
  }
  headers['authorization'] = `Bearer ${internalToken}`;
  headers['x-request-id'] = ctx.state.requestId;
  headers['x-forwarded-for'] = ctx.ip;
  headers['x-forwarded-proto'] = ctx.protocol;
  // traceparent/tracestate of the current server span (no-op unless telemetry is on)
  propagation.inject(context.active(), headers);
  return headers;
}
