import { baseConfigSchema, loadConfig } from '@solar/common';
import { z } from 'zod';

/** "true"/"false"/"1"/"0" from the environment; z.coerce.boolean would read "false" as true. */
const envBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .optional();

export const platformConfigSchema = baseConfigSchema
  .extend({
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    /** Tenants are served at <slug>.<BASE_DOMAIN>. */
    BASE_DOMAIN: z
      .string()
      .toLowerCase()
      .regex(/^[a-z0-9.-]+$/, { message: 'must be a hostname such as solarcrm.io' })
      .default('localhost'),
    /** base64 of 32 random bytes; opens sealed tenant secrets */
    PLATFORM_SECRET_KEY: z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
      message: 'must be base64 of 32 random bytes',
    }),
    /** Ed25519 private JWK (JSON) that signs internal tokens */
    INTERNAL_TOKEN_PRIVATE_KEY: z.string().refine(isJsonObject, { message: 'must be a JWK as JSON' }),
    SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 90)
      .default(12),
    COOKIE_SECURE: envBoolean,
    MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * 1024),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
    /** Trust X-Forwarded-Host/-For/-Proto; only behind a proxy that sets them. */
    TRUST_PROXY: envBoolean.default(false),
  })
  // Secure cookies by default wherever TLS is expected; plain http stays usable locally.
  .transform((c) => ({ ...c, COOKIE_SECURE: c.COOKIE_SECURE ?? c.NODE_ENV === 'production' }));

export type PlatformConfig = z.output<typeof platformConfigSchema>;

export function loadPlatformConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  return loadConfig(platformConfigSchema, env);
}

function isJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}
