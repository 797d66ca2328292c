import { z } from 'zod';

/**
 * Settings every program shares. Each program extends this with its own fields and reads
 * the result once at start (`loadConfig`). Defaults are the local single-machine stack.
 */
export const baseConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().default('mysql://root@127.0.0.1:3306/platform'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /** none | otlp | prometheus — which telemetry exporter to run. */
  TELEMETRY_EXPORTER: z.enum(['none', 'otlp', 'prometheus']).default('none'),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().default('http://127.0.0.1:4318'),
  PROMETHEUS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** How long a SIGTERM waits for in-flight requests before closing pools anyway. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
});
export type BaseConfig = z.infer<typeof baseConfigSchema>;

/** Outgoing mail, for every program that mails (platform-api: invitations; the runtime's worker: reminders). */
export const mailConfigFields = {
  /** e.g. smtps://user:pass@mail:465; unset: mail is not sent, only logged */
  SMTP_URL: z.url().optional(),
  /** From address of outgoing mail. */
  MAIL_FROM: z.string().min(3).max(254).default('Solar CRM <no-reply@solarcrm.localhost>'),
  /** The web app's address for a tenant, `{slug}` for its slug (links in mail), e.g. http://{slug}.localhost:5173. */
  TENANT_WEB_URL: z
    .string()
    .default('')
    .refine((v) => v === '' || URL.canParse(v.replaceAll('{slug}', 'x')), { message: 'must be a URL' }),
};

export class ConfigError extends Error {
  constructor(public readonly issues: string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment against a program's schema; throws one error naming every bad variable. */
export function loadConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}
