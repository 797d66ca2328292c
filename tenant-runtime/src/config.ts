import { baseConfigSchema, loadConfig } from '@solar/common';
import { z } from 'zod';

/** A JWK given as JSON text in the environment; parsed once so a typo fails at start, not per request. */
const jwkJson = z.string().refine((s) => {
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null && 'kty' in v;
  } catch {
    return false;
  }
}, 'must be a JWK as JSON');

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
    /** How long a tenant's registry row (phase, suspended, credentials) is trusted before re-reading. */
    TENANT_REGISTRY_TTL_MS: z.coerce.number().int().min(0).default(5_000),
  })
  .refine((c) => c.MODE === 'pooled' || c.TENANT_ID !== undefined, {
    message: 'TENANT_ID is required when MODE=dedicated',
    path: ['TENANT_ID'],
  });

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export function loadRuntimeConfig(env: Record<string, string | undefined> = process.env): RuntimeConfig {
  return loadConfig(runtimeConfigSchema, env);
}
