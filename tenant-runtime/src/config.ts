import { baseConfigSchema, loadConfig, mailConfigFields } from '@solar/common';
import { z } from 'zod';
import { pvwattsConfigSchema } from './modules/proposals/production-estimate.js';

/** A JWK given as JSON text in the environment; parsed once so a typo fails at start, not per request. */
const jwkJson = z.string().refine((s) => {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && 'kty' in v;
  } catch {
    return false;
  }
}, 'must be a JWK as JSON');

/** Outbox delivery settings, shared by the runtime's config and the worker's. */
const outboxFields = {
  /** BullMQ queue name and Redis key prefix of the outbox queue */
  OUTBOX_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('outbox'),
  OUTBOX_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/)
    .default('solar:bull'),
  /** how often the relay looks for undispatched events in every Ready tenant */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(1_000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(500),
  /** delivery attempts before an event is dead-lettered; retries back off exponentially from OUTBOX_BACKOFF_MS */
  OUTBOX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  OUTBOX_BACKOFF_MS: z.coerce.number().int().min(1).default(1_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
};

/** Outbound webhook settings: where deliveries may go, and how they are retried (runtime and worker). */
const webhookFields = {
  /** true: webhooks may target private, loopback and link-local addresses (tests, local mode); never in production */
  WEBHOOKS_ALLOW_PRIVATE_TARGETS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** HTTP attempts per delivery; retries back off exponentially from WEBHOOK_BACKOFF_MS */
  WEBHOOK_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(8),
  WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(1).default(2_000),
  /** BullMQ queue of deliveries (Redis key prefix: OUTBOX_QUEUE_PREFIX) */
  WEBHOOK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('webhooks'),
};

/** The worker's settings (src/worker/main.ts): no HTTP API, so no token key; health on WORKER_PORT. */
export const workerConfigSchema = baseConfigSchema
  .extend({
    WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(4300),
    MODE: z.enum(['pooled', 'dedicated']).default('pooled'),
    TENANT_ID: z
      .string()
      .regex(/^[a-z0-9]{12}$/)
      .optional(),
    PLATFORM_SECRET_KEY: z.string().refine((s) => Buffer.from(s, 'base64').length === 32, {
      message: 'must be base64 of 32 bytes',
    }),
    POOL_MAX_PER_TENANT: z.coerce.number().int().min(1).max(100).default(5),
    MAX_OPEN_TENANT_POOLS: z.coerce.number().int().min(1).default(200),
    TENANT_REGISTRY_TTL_MS: z.coerce.number().int().min(0).default(5_000),
    ...outboxFields,
    ...webhookFields,
    /** BullMQ queue of task reminders, delayed until each is due (Redis key prefix: OUTBOX_QUEUE_PREFIX) */
    REMINDER_QUEUE: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default('reminders'),
    /** Task-reminder mail: SMTP_URL, MAIL_FROM, and TENANT_WEB_URL for its links (empty: no link). */
    ...mailConfigFields,
  })
  .refine((c) => c.MODE === 'pooled' || c.TENANT_ID !== undefined, {
    message: 'TENANT_ID is required when MODE=dedicated',
    path: ['TENANT_ID'],
  });
export type WorkerConfig = z.infer<typeof workerConfigSchema>;

export function loadWorkerConfig(env: Record<string, string | undefined> = process.env): WorkerConfig {
  return loadConfig(workerConfigSchema, env);
}

/** The tenant runtime's settings, read once at start. Defaults are the local single-machine stack. */
export const runtimeConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4100),
    /** pooled: many tenants, one DB pool each; dedicated: exactly TENANT_ID. */
    MODE: z.enum(['pooled', 'dedicated']).default('pooled'),
    /** Required in dedicated mode: the only tenant this process serves. */
    TENANT_ID: z
      .string()
      .regex(/^[a-z0-9]{12}$/)
      .optional(),
    /** base64 of 32 bytes; unseals the tenant DB passwords kept in platform.tenants. */
    PLATFORM_SECRET_KEY: z.string().refine((s) => Buffer.from(s, 'base64').length === 32, {
      message: 'must be base64 of 32 bytes',
    }),
    /** platform-api's Ed25519 public JWK; verifies the internal token on every request. */
    INTERNAL_TOKEN_PUBLIC_KEY: jwkJson,
    /** 8 MiB: room for a 10,000-row lead CSV sent to importLeads (about 1.5 MB), with margin. */
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(8 * 1024 * 1024),
    POOL_MAX_PER_TENANT: z.coerce.number().int().min(1).max(100).default(5),
    /** Least-recently-used tenant pools beyond this are closed. */
    MAX_OPEN_TENANT_POOLS: z.coerce.number().int().min(1).default(200),
    /**
     * switch-user: one shared set of connections that switch to the calling tenant's own DB user on checkout
     * (COM_CHANGE_USER) — connections held stay at MAX_TENANT_CONNECTIONS however many tenants are active;
     * per-tenant: an LRU of small pools, one per tenant (POOL_MAX_PER_TENANT × MAX_OPEN_TENANT_POOLS).
     */
    TENANT_CONNECTION_STRATEGY: z.enum(['switch-user', 'per-tenant']).default('switch-user'),
    MAX_TENANT_CONNECTIONS: z.coerce.number().int().min(1).max(10_000).default(40),
    /** How long a tenant's registry row (phase, suspended, credentials) is trusted before re-reading. */
    TENANT_REGISTRY_TTL_MS: z.coerce.number().int().min(0).default(5_000),
    /** PVWATTS_API_KEY (none: offline production estimates), PVWATTS_BASE_URL, PVWATTS_TIMEOUT_MS */
    ...pvwattsConfigSchema.shape,
    /** WEBHOOKS_ALLOW_PRIVATE_TARGETS: checked when a webhook is created or changed */
    WEBHOOKS_ALLOW_PRIVATE_TARGETS: webhookFields.WEBHOOKS_ALLOW_PRIVATE_TARGETS,
  })
  .refine((c) => c.MODE === 'pooled' || c.TENANT_ID !== undefined, {
    message: 'TENANT_ID is required when MODE=dedicated',
    path: ['TENANT_ID'],
  });

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  return loadConfig(runtimeConfigSchema, env);
}
