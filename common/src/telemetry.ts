import { SpanStatusCode, trace, metrics, type Attributes, type Span } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { PrometheusExporter } from '@opentelemetry/exporter-prometheus';
import type { BaseConfig } from './config.js';

export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK with the exporter the config names. With `none` the API stays a no-op,
 * so spans cost nearly nothing; with `otlp` traces go to the collector; with `prometheus` metrics are
 * served on PROMETHEUS_PORT at /metrics.
 */
export function startTelemetry(
  serviceName: string,
  config: Pick<BaseConfig, 'TELEMETRY_EXPORTER' | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'PROMETHEUS_PORT'>,
): Telemetry {
  if (config.TELEMETRY_EXPORTER === 'none') return { shutdown: async () => {} };
  const sdk =
    config.TELEMETRY_EXPORTER === 'otlp'
      ? new NodeSDK({
          serviceName,
          traceExporter: new OTLPTraceExporter({ url: `${config.OTEL_EXPORTER_OTLP_ENDPOINT}/v1/traces` }),
          instrumentations: [],
        })
      : new NodeSDK({
          serviceName,
          metricReader: new PrometheusExporter({ port: config.PROMETHEUS_PORT }),
          instrumentations: [],
        });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}

export const tracer = (name: string) => trace.getTracer(name);
export const meter = (name: string) => metrics.getMeter(name);

/** Runs `fn` inside an active span; records the error and rethrows on failure. */
export async function withSpan<T>(
  tracerName: string,
  spanName: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return trace.getTracer(tracerName).startActiveSpan(spanName, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}
