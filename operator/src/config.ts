import { z } from 'zod';
import { baseConfigSchema } from '@solar/common';

/** Operator configuration, read once at start. Defaults run the local single-machine stack. */
export const operatorConfigSchema = baseConfigSchema.extend({
  /** base64 of 32 random bytes; seals tenant DB passwords (same key platform-api uses) */
  PLATFORM_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be base64 of exactly 32 bytes'),
  /** server-level URL able to create schemas and users; defaults to DATABASE_URL's server */
  ADMIN_DATABASE_URL: z.url().optional(),
  /** the pooled tenant-runtime's base URL, published as each pooled tenant's routing entry */
  RUNTIME_ENDPOINT: z.url().default('http://127.0.0.1:4100'),
  /** /healthz and /readyz */
  PORT: z.coerce.number().int().min(0).max(65535).default(4200),
  DRIVER: z.enum(['local', 'kubernetes']).default('local'),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(10).default(2000),
  RESYNC_INTERVAL_MS: z.coerce.number().int().min(1000).default(600_000),
  /** where Snapshot deletions write each tenant's dump (`t_<id>.sql`); keep it on durable storage */
  SNAPSHOT_DIR: z.string().min(1).default('./var/snapshots'),
  /**
   * After a DB password rotation, how long the old password keeps working. Longer than the runtimes'
   * TENANT_REGISTRY_TTL_MS (5 s by default), so none is left holding a refused password.
   */
  CREDENTIAL_ROTATION_GRACE_MS: z.coerce.number().int().min(0).default(60_000),
  // Kubernetes driver only
  /** the operator's namespace (downward API): its Lease, pooled tenants' Secrets and migration Jobs */
  POD_NAMESPACE: z.string().min(1).default('solar-crm'),
  /** this replica's identity in the leader-election Lease (downward API) */
  POD_NAME: z.string().min(1).default(`operator-${process.pid}`),
  /** tenant-runtime image repository; each Tenant's spec.runtime.version is the tag */
  RUNTIME_IMAGE: z.string().min(1).default('ghcr.io/solar-crm/tenant-runtime'),
  /** the pooled runtime Service URL inside the cluster (routing entry of pooled tenants) */
  POOLED_RUNTIME_ENDPOINT: z.url().optional(),
  LEASE_DURATION_MS: z.coerce.number().int().min(1000).default(15_000),
});
export type OperatorConfig = z.infer<typeof operatorConfigSchema>;
