import { open, type Knex, type Logger } from '@solar/common';
import { TenantNotFound, TenantNotReady } from '../errors.js';
import { TenantBlocked } from './tenant-blocked.js';
import type { TenantRegistry } from './tenant-registry.js';
import type { TenantPools } from './tenant-pools.js';

/** A tenant the runtime may serve right now, with its own connection pool. */
export interface TenantConnection {
  id: string;
  slug: string;
  schema: string;
  /** suspended tenants are served read-only */
  readOnly: boolean;
  db: Knex;
}

export interface TenantDirectory {
  /** Resolves a tenant id (from a verified token) to a serving connection, or throws a typed error. */
  connect(tenantId: string): Promise<TenantConnection>;
}

const MAX_UNSEALED = 10_000;

/** Phases in which the tenant's schema is provisioned and migrated, so requests may be served. */
const SERVING_PHASES = new Set(['Ready', 'Suspended']);

/**
 * The lifecycle policy in one place: unknown, deleted or being deleted → 404; suspended with suspendMode
 * Blocked → 403 TENANT_BLOCKED (reads too); not yet serving → 503 TENANT_NOT_READY; suspended (ReadOnly) →
 * read-only, writes 423. Everything else gets a pool logged in as the tenant's own DB user.
 */
export function createTenantDirectory(deps: {
  registry: TenantRegistry;
  pools: TenantPools;
  secretKey: Buffer;
  logger: Logger;
}): TenantDirectory {
  // Unsealing costs an AES-GCM open per request; the sealed text changes whenever the password is rotated,
  // so it is the cache key. The pools hold the same passwords in memory anyway.
  const unsealed = new Map<string, string>();
  const unseal = (sealed: string, tenantId: string) => {
    const key = `${tenantId}:${sealed}`;
    let password = unsealed.get(key);
    if (password === undefined) {
      password = open(sealed, deps.secretKey, tenantId);
      if (unsealed.size >= MAX_UNSEALED) unsealed.delete(unsealed.keys().next().value!);
      unsealed.set(key, password);
    }
    return password;
  };
  return {
    async connect(tenantId) {
      const row = await deps.registry.get(tenantId);
      if (!row || row.deleted_at) throw new TenantNotFound('This workspace does not exist');
      if (row.phase === 'Deleting') throw new TenantNotFound('This workspace has been deleted');
      if (row.suspended && row.suspend_mode === 'Blocked') throw new TenantBlocked();
      if (!SERVING_PHASES.has(row.phase))
        throw new TenantNotReady(`This workspace is not ready yet (phase ${row.phase})`);
      if (!row.db_schema || !row.db_user || !row.db_password_sealed)
        throw new TenantNotReady('This workspace has no database yet');

      let password: string;
      try {
        // the tenant id is the associated data: a sealed password copied to another row will not open
        password = unseal(row.db_password_sealed, row.id);
      } catch {
        deps.logger.error({ tenant: row.id }, 'tenant DB password does not unseal with the platform key');
        throw new TenantNotReady('This workspace database is unavailable');
      }
      const db = deps.pools.get({ tenantId: row.id, schema: row.db_schema, user: row.db_user, password });
      return {
        id: row.id,
        slug: row.slug,
        schema: row.db_schema,
        readOnly: row.suspended || row.phase === 'Suspended',
        db,
      };
    },
  };
}
