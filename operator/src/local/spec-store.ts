import { isDeepStrictEqual } from 'node:util';
import { Conflict, type Knex } from '@solar/common';
import { tenantIdPattern, type TenantSpec } from '../tenant-spec.js';
import { newTenantId, sameStoredSpec, specColumns, type TenantRow } from './tenant-rows.js';

export interface UpsertResult {
  id: string;
  created: boolean;
  /** true when the stored spec differed and generation was bumped */
  changed: boolean;
}

/**
 * Writes the desired spec for `spec.slug`: inserts a new tenant, or updates an existing one and bumps its
 * generation only when something actually differs (so re-applying the same spec writes nothing).
 */
export async function upsertSpec(platformDb: Knex, spec: TenantSpec, id?: string): Promise<UpsertResult> {
  if (id !== undefined && !tenantIdPattern.test(id))
    throw new Error(`invalid tenant id ${JSON.stringify(id)}`);
  // SELECT … FOR UPDATE on a slug nobody has yet takes a gap lock; two new tenants applied at once can
  // deadlock on their inserts. InnoDB rolled the loser back whole, so running it again is safe.
  for (let attempt = 1; ; attempt++) {
    try {
      return await upsertOnce(platformDb, spec, id);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ER_LOCK_DEADLOCK' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * attempt));
    }
  }
}

async function upsertOnce(platformDb: Knex, spec: TenantSpec, id?: string): Promise<UpsertResult> {
  try {
    return await platformDb.transaction(async (trx) => {
      const row = (await trx('tenants').where({ slug: spec.slug }).forUpdate().first()) as
        TenantRow | undefined;
      const domains = [...new Set(spec.domains)].sort();
      if (!row) {
        const newId = id ?? newTenantId();
        await trx('tenants').insert({ id: newId, slug: spec.slug, ...specColumns(spec) });
        if (domains.length)
          await trx('tenant_domains').insert(domains.map((d) => ({ domain: d, tenant_id: newId })));
        return { id: newId, created: true, changed: true };
      }
      if (id !== undefined && row.id !== id)
        throw new Conflict(`slug ${spec.slug} already belongs to tenant ${row.id}`);
      if (row.deleted_at)
        throw new Conflict(`slug ${spec.slug} belonged to tenant ${row.id}, which was deleted; pick another`);
      const current = (await trx('tenant_domains').where({ tenant_id: row.id }).orderBy('domain')) as Array<{
        domain: string;
      }>;
      const currentDomains = current.map((d) => d.domain);
      const sameColumns = sameStoredSpec(row, spec);
      const sameDomains = isDeepStrictEqual(currentDomains, domains);
      if (sameColumns && sameDomains) return { id: row.id, created: false, changed: false };

      await trx('tenants')
        .where({ id: row.id })
        .update({ ...specColumns(spec), generation: trx.raw('generation + 1'), updated_at: trx.fn.now(3) });
      if (!sameDomains) {
        await trx('tenant_domains').where({ tenant_id: row.id }).whereNotIn('domain', domains).delete();
        const missing = domains.filter((d) => !currentDomains.includes(d));
        if (missing.length)
          await trx('tenant_domains').insert(missing.map((d) => ({ domain: d, tenant_id: row.id })));
      }
      return { id: row.id, created: false, changed: true };
    });
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
      throw new Conflict(`tenant ${spec.slug}: id, slug or a domain is already taken by another tenant`);
    throw err;
  }
}
