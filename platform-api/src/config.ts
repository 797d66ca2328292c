import { baseConfigSchema, loadConfig, mailConfigFields } from '@solar/common';
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
    /**
     * How self-service signup provisions a tenant: `local` runs the operator's local driver in this process
     * (single-machine mode; needs ADMIN_DATABASE_URL or a DATABASE_URL able to create schemas and users);
     * `kubernetes` writes a Tenant resource and waits for the operator to make it Ready (in a cluster; needs
     * RBAC on tenants.solarcrm.io, which the chart grants); `none` leaves the platform GraphQL unmounted.
     */
    SIGNUP_DRIVER: z.enum(['local', 'kubernetes', 'none']).default('none'),
    /** How long a Kubernetes signup waits for its Tenant to become Ready. */
    SIGNUP_READY_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    ADMIN_DATABASE_URL: z.url().optional(),
    /** the pooled runtime's base URL, the routing entry of tenants signup creates locally */
    RUNTIME_ENDPOINT: z.url().default('http://127.0.0.1:4100'),
    /** Sessions also end this many days after sign-in, however active (sliding expiry has a ceiling). */
    SESSION_MAX_DAYS: z.coerce.number().positive().max(365).default(30),
    /** Lifetime of the access tokens (JWT) bearer clients get; refresh tokens rotate beside them. */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(10).max(3600).default(600),
    /** Prefix for every Redis key this program writes (tests give each run its own). */
    REDIS_KEY_PREFIX: z.string().default('solar:'),
    /** Failed sign-ins per (tenant, email) and per IP before exponential back-off starts. */
    LOCKOUT_ACCOUNT_THRESHOLD: z.coerce.number().int().positive().default(5),
    LOCKOUT_IP_THRESHOLD: z.coerce.number().int().positive().default(5),
    /** First back-off delay; each further failure doubles it, up to LOCKOUT_MAX_DELAY_SECONDS. */
    LOCKOUT_BASE_DELAY_SECONDS: z.coerce.number().int().positive().default(30),
    LOCKOUT_MAX_DELAY_SECONDS: z.coerce.number().int().positive().default(900),
    /** Failures are forgotten this long after the first one in a series. */
    LOCKOUT_WINDOW_SECONDS: z.coerce.number().int().positive().default(900),
    /** Issuer shown in authenticator apps. */
    MFA_ISSUER: z.string().min(1).max(64).default('Solar CRM'),
    /** Browser origins, besides the request's own, allowed to make cookie-authenticated changes. */
    TRUSTED_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().replace(/\/$/, '').toLowerCase())
          .filter(Boolean),
      ),
    /** Rate-limit window; the per-plan limits in rate-limit/plan-limits.ts count requests per window. */
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
    /** Multiplies every plan limit (e.g. 100 for local load benchmarks from one address). */
    RATE_LIMIT_SCALE: z.coerce.number().positive().default(1),
    /** Public web forms (POST /forms/:key): submissions per address and form key per window, and body size. */
    FORM_RATE_LIMIT: z.coerce.number().int().positive().default(10),
    FORM_RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(600),
    FORM_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * 1024),
    /**
     * How long a session found by an access token is trusted on /graphql without asking MySQL again; a
     * revoked session keeps working there this long at most. 0 turns it off.
     */
    SESSION_CACHE_MS: z.coerce.number().int().min(0).max(10_000).default(2_000),
    /** Edge cache for persisted-query GETs on /graphql and REST GETs (off: every request reaches the runtime). */
    EDGE_CACHE_ENABLED: envBoolean.default(true),
    /** How long a cached answer lives if no change event drops it first. */
    EDGE_CACHE_TTL_SECONDS: z.coerce.number().int().positive().max(86_400).default(300),
    /** Answers larger than this pass through uncached. */
    EDGE_CACHE_MAX_ENTRY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(256 * 1024),
    /** Redis channel prefix of the runtimes' change events (solar:changes:<tenantId>). */
    EDGE_CACHE_CHANNEL_PREFIX: z.string().min(1).default('solar:changes:'),
    /** How long a registered persisted query (APQ hash → query text) is kept per tenant. */
    PERSISTED_QUERY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .positive()
      .default(7 * 86_400),
    /**
     * Larger body limits for named routes than MAX_BODY_BYTES: `<METHOD> <path>=<bytes>`, comma-separated.
     * The lead CSV import (the runtime's `importLeads` mutation) needs 8 MiB; such bodies are only read
     * once the caller is authenticated.
     */
    ROUTE_BODY_LIMITS: z
      .string()
      .default(`POST /graphql=${8 * 1024 * 1024},POST /api/v1/leads/import=${8 * 1024 * 1024}`)
      .transform((v, zctx) => parseRouteLimits(v, zctx)),
    /** The GraphQL mutations that may use POST /graphql's larger limit (comma list of root field names). */
    BULK_GRAPHQL_FIELDS: z
      .string()
      .default('importLeads')
      .transform(
        (v) =>
          new Set(
            v
              .split(',')
              .map((f) => f.trim())
              .filter(Boolean),
          ),
      ),
    /** Retries of idempotent requests (GET/HEAD) when the runtime refused the connection or answered 503. */
    UPSTREAM_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
    /** First retry delay; each further one doubles it (plus jitter). */
    UPSTREAM_RETRY_DELAY_MS: z.coerce.number().int().min(0).max(5_000).default(50),
    /** A runtime's circuit opens when this share (%) of its recent requests failed… */
    BREAKER_ERROR_PERCENT: z.coerce.number().int().min(1).max(100).default(50),
    /** …and at least this many were made in the window. */
    BREAKER_MIN_REQUESTS: z.coerce.number().int().min(1).default(10),
    /** The window those are counted in. */
    BREAKER_WINDOW_MS: z.coerce.number().int().positive().default(10_000),
    /** How long an open circuit answers 503 at once before letting one probe request through. */
    BREAKER_RESET_MS: z.coerce.number().int().positive().default(10_000),
    /** Event streams: a `: ping` comment after this long without data, and the caller's access re-checked. */
    SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
    /** Event streams end after this long (the client reconnects, and is authenticated afresh). */
    SSE_MAX_DURATION_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
    /** DNS servers for custom-domain verification (`host` or `host:port`, comma list); empty: the system's. */
    DNS_SERVERS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ),
    /** How long one TXT lookup may take. */
    DNS_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
    /** Custom domains (pending and verified) are re-checked this often; 0 turns the re-check off. */
    DOMAIN_RECHECK_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(60 * 60_000),
    /** A member's permissions, asked of the tenant's runtime, are remembered this long (role changes apply after it). */
    TENANT_ROLES_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(5_000),
    /** Lifetime of OAuth2 client-credentials access tokens. */
    OAUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    /**
     * Invitation mail: SMTP_URL, MAIL_FROM, and TENANT_WEB_URL for its links (empty: https://<slug>.<BASE_DOMAIN>,
     * http when COOKIE_SECURE is off).
     */
    ...mailConfigFields,
    /** How long an invitation link stays valid. */
    INVITATION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 30)
      .default(24 * 7),
    /** Platform admins must use TOTP (default: true in production). */
    PLATFORM_ADMIN_MFA_REQUIRED: envBoolean,
  })
  // Secure cookies by default wherever TLS is expected; plain http stays usable locally.
  .transform((c) => ({
    ...c,
    COOKIE_SECURE: c.COOKIE_SECURE ?? c.NODE_ENV === 'production',
    PLATFORM_ADMIN_MFA_REQUIRED: c.PLATFORM_ADMIN_MFA_REQUIRED ?? c.NODE_ENV === 'production',
  }));

export type PlatformConfig = z.output<typeof platformConfigSchema>;

export function loadPlatformConfig(env: Record<string, string | undefined> = process.env): PlatformConfig {
  return loadConfig(platformConfigSchema, env);
}

/** `POST /graphql=8388608,…` → Map('POST /graphql' → 8388608); a malformed entry fails the config. */
function parseRouteLimits(value: string, zctx: z.RefinementCtx): Map<string, number> {
  const limits = new Map<string, number>();
  for (const entry of value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const match = /^([A-Z]+) (\/\S*)=(\d+)$/.exec(entry);
    if (!match) {
      zctx.addIssue({ code: 'custom', message: `"${entry}" must look like "POST /graphql=8388608"` });
      continue;
    }
    limits.set(`${match[1]} ${match[2]}`, Number(match[3]));
  }
  return limits;
}

function isJsonObject(value: string): boolean {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null;
  } catch {
    return false;
  }
}
