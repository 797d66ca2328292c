import { trace } from '@opentelemetry/api';
import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they sit in the object. */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'dbPassword',
  '*.dbPassword',
];

/**
 * Structured logger for one program. Every line carries the active span's trace id, so logs join traces;
 * request id and tenant are bound per request with `logger.child({ requestId, tenant })`.
 */
export function createLogger(service: string, level: LoggerOptions['level'] = 'info'): Logger {
  return pino({
    name: service,
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service },
    mixin() {
      const ctx = trace.getActiveSpan()?.spanContext();
      return ctx && ctx.traceId !== '00000000000000000000000000000000'
        ? { traceId: ctx.traceId, spanId: ctx.spanId }
        : {};
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
