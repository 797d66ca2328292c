import { z } from 'zod';
import { baseConfigSchema } from '@solar/common/config';
import { TENANT_SLUG } from '../tenant-slug.js';

/** The web server's settings, read once from the environment; the defaults are the local stack. */
export const webConfigSchema = z.object({
  PLATFORM_API_URL: z
    .url()
    .default('http://127.0.0.1:4000')
    .transform((v) => v.replace(/\/+$/, '')),
  BASE_DOMAIN: z
    .string()
    .toLowerCase()
    .regex(/^[a-z0-9.-]+$/, { message: 'must be a hostname such as solarcrm.io' })
    .default('localhost'),
  /** Workspace served when the host names none (local mode: acme). */
  DEFAULT_TENANT: z
    .string()
    .toLowerCase()
    .regex(TENANT_SLUG, { message: 'must be a workspace slug' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /**
   * Where a workspace's public endpoints (web-form embed script, /api) are reached from other sites, with
   * `{tenant}` for its slug, e.g. http://{tenant}.localhost:4000 in local mode. Empty: this site's own origin
   * (the chart's Ingress routes /forms and /api on the tenant host to platform-api). Not PUBLIC_…: SvelteKit
   * keeps that prefix out of the server's private environment.
   */
  API_PUBLIC_ORIGIN: z
    .string()
    .regex(/^https?:\/\/[a-z0-9.{}-]+(:\d{1,5})?$/i, {
      message: 'must be an origin such as https://{tenant}.solarcrm.io',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** How long the web server waits for platform-api before answering 504/503. */
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  // telemetry, as every program has it: none | otlp | prometheus
  TELEMETRY_EXPORTER: baseConfigSchema.shape.TELEMETRY_EXPORTER,
  OTEL_EXPORTER_OTLP_ENDPOINT: baseConfigSchema.shape.OTEL_EXPORTER_OTLP_ENDPOINT,
  PROMETHEUS_PORT: baseConfigSchema.shape.PROMETHEUS_PORT,
});
export type WebConfig = z.output<typeof webConfigSchema>;

export function parseWebConfig(env: Record<string, string | undefined>): WebConfig {
  const parsed = webConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid web configuration:\n  ${issues.join('\n  ')}`);
  }
  return parsed.data;
}
