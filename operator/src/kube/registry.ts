import { isDeepStrictEqual } from 'node:util';
import type { Knex } from '@solar/common';
import { upsertSpec } from '../local/spec-store.js';
import { loadDomains, sameStoredSpec, type TenantRow } from '../local/tenant-rows.js';
import type { TenantSpec } from '../tenant-spec.js';

/**
 * The Tenant's desired spec in the platform registry (platform-api and the runtimes read the row). Checked
 * with a plain read first: the locking upsert runs only when something differs, so resyncs of a thousand
 * converged tenants take no row locks (concurrent locking inserts can deadlock; the upsert retries those).
 */
export async function syncRegistrySpec(platformDb: Knex, spec: TenantSpec, id: string): Promise<void> {
  const row = (await platformDb('tenants').where({ slug: spec.slug }).first()) as TenantRow | undefined;
  if (row && row.id === id && !row.deleted_at && sameStoredSpec(row, spec)) {
    const domains = [...new Set(spec.domains)].sort();
    if (isDeepStrictEqual(await loadDomains(platformDb, id), domains)) return;
  }
  await upsertSpec(platformDb, spec, id);
}
