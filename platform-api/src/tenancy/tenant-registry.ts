import type { Knex } from '@solar/common';

/** What the front door needs to know about a tenant: identity, lifecycle state and where to forward. */
export interface RegistryTenant {
  id: string;
  slug: string;
  displayName: string;
  /** observed phase written by the operator: Pending, Provisioning, Ready, Suspended, Upgrading, Deleting, Failed */
  phase: string;
  /** suspended by spec or by phase; the runtime enforces read-only, the front door only reports it */
  suspended: boolean;
  deleted: boolean;
  /** runtime base URL; null until the tenant is routable */
  endpoint: string | null;
  /** starter | growth | enterprise (anything else is treated as starter by the rate limits) */
  plan: string;
  /** tenant setting: every member must use TOTP */
  mfaRequired: boolean;
}

export interface TenantRegistry {
  bySlug(slug: string): Promise<RegistryTenant | null>;
  /** Only verified custom domains resolve. */
  byDomain(domain: string): Promise<RegistryTenant | null>;
  /** Browser origins the tenant allows to call its API (CORS), lower-case `scheme://host[:port]`. */
  corsOrigins(tenantId: string): Promise<ReadonlySet<string>>;
  /** Drops every cached entry (tests, or after a known change). */
  clear(): void;
}

export interface TenantRegistryOptions {
  /** How long a lookup (including "no such tenant") is reused; a few seconds keeps state changes visible. */
  ttlMs?: number;
  maxEntries?: number;
}

/** Same pattern the operator validates slugs with; anything else cannot exist, so never reaches the DB. */
export const SLUG_PATTERN = /^[a-z][a-z0-9-]{1,38}[a-z0-9]$/;

interface TenantRow {
  id: string;
  slug: string;
  display_name: string;
  phase: string;
  suspended: number | boolean;
  endpoint: string | null;
  deleted_at: Date | null;
  plan: string;
  mfa_required: number | boolean;
}

const COLUMNS = [
  't.id',
  't.slug',
  't.display_name',
  't.phase',
  't.suspended',
  't.endpoint',
  't.deleted_at',
  't.plan',
  't.mfa_required',
];

/**
 * Reads platform.tenants with a small in-process cache. Concurrent lookups of the same key share one query,
 * and misses are cached too so a flood of made-up hosts costs one query per key per TTL.
 */
export function createTenantRegistry(db: Knex, options: TenantRegistryOptions = {}): TenantRegistry {
  const ttlMs = options.ttlMs ?? 5_000;
  const maxEntries = options.maxEntries ?? 10_000;
  const cache = new Map<string, { expires: number; value: Promise<unknown> }>();

  function remembered<T>(key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.value as Promise<T>;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    const value = load();
    cache.set(key, { expires: now + ttlMs, value });
    // A failed lookup (DB down) must not be remembered.
    value.catch(() => cache.delete(key));
    return value;
  }
  const cached = (key: string, load: () => Promise<TenantRow | undefined>) =>
    remembered(key, () => load().then((row) => (row ? toTenant(row) : null)));

  return {
    bySlug(slug) {
      if (!SLUG_PATTERN.test(slug)) return Promise.resolve(null);
      return cached(`slug:${slug}`, () =>
        db({ t: 'tenants' }).first<TenantRow | undefined>(COLUMNS).where('t.slug', slug),
      );
    },
    byDomain(domain) {
      return cached(`domain:${domain}`, () =>
        db({ t: 'tenants' })
          .first<TenantRow | undefined>(COLUMNS)
          .join({ d: 'tenant_domains' }, 'd.tenant_id', 't.id')
          .where({ 'd.domain': domain, 'd.verified': true }),
      );
    },
    corsOrigins(tenantId) {
      return remembered(`cors:${tenantId}`, async () => {
        const rows = (await db('tenant_cors_origins')
          .select('origin')
          .where({ tenant_id: tenantId })) as Array<{
          origin: string;
        }>;
        return new Set(rows.map((r) => r.origin));
      });
    },
    clear: () => cache.clear(),
  };
}

function toTenant(row: TenantRow): RegistryTenant {
  return {
    id: row.id,
    slug: row.slug,
    displayName: row.display_name,
    phase: row.phase,
    suspended: Boolean(row.suspended) || row.phase === 'Suspended',
    deleted: row.deleted_at !== null || row.phase === 'Deleting',
    endpoint: row.endpoint,
    plan: row.plan,
    mfaRequired: Boolean(row.mfa_required),
  };
}
