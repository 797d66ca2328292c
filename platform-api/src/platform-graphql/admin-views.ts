import { NotFound, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import type { TenantDriver } from './tenant-driver.js';

/** A tenant as platform admins see it: desired plan/suspension and the operator's observed status. */
export interface AdminTenant {
  id: string;
  slug: string;
  displayName: string;
  plan: string;
  suspended: boolean;
  phase: string;
  conditions: Array<{ type: string; status: string; reason: string; message: string }>;
  schemaVersion: string | null;
  endpoint: string | null;
  lastError: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  slug: string;
  display_name: string;
  plan: string;
  suspended: number | boolean;
  phase: string;
  conditions: string | AdminTenant['conditions'] | null;
  schema_version: string | null;
  endpoint: string | null;
  last_error: string | null;
  created_at: Date;
}

const toTenant = (r: Row): AdminTenant => ({
  id: r.id,
  slug: r.slug,
  displayName: r.display_name,
  plan: r.plan,
  suspended: Boolean(r.suspended),
  phase: r.phase,
  conditions: (typeof r.conditions === 'string'
    ? JSON.parse(r.conditions)
    : (r.conditions ?? [])) as AdminTenant['conditions'],
  schemaVersion: r.schema_version,
  endpoint: r.endpoint,
  lastError: r.last_error,
  createdAt: r.created_at,
});

export const tenantsArgsSchema = z.object({
  phase: z.string().max(32).nullish(),
  plan: z.string().max(32).nullish(),
  first: z.number().int().min(1).max(100).nullish(),
  /** the last slug of the previous page */
  after: z.string().max(63).nullish(),
});

export interface TenantPage {
  nodes: AdminTenant[];
  endCursor: string | null;
  hasNextPage: boolean;
}

/** Tenants by slug, keyset-paged; soft-deleted tenants are left out. */
export async function listTenants(db: Knex, args: z.input<typeof tenantsArgsSchema>): Promise<TenantPage> {
  const parsed = tenantsArgsSchema.safeParse(args);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { phase, plan, after } = parsed.data;
  const first = parsed.data.first ?? 20;
  const q = db('tenants')
    .whereNull('deleted_at')
    .orderBy('slug')
    .limit(first + 1);
  if (phase) q.where({ phase });
  if (plan) q.where({ plan });
  if (after) q.where('slug', '>', after);
  const rows = (await q) as Row[];
  const nodes = rows.slice(0, first).map(toTenant);
  return { nodes, endCursor: nodes.at(-1)?.slug ?? null, hasNextPage: rows.length > first };
}

export async function findTenant(db: Knex, slug: string): Promise<AdminTenant | null> {
  const row = (await db('tenants').first().where({ slug }).whereNull('deleted_at')) as Row | undefined;
  return row ? toTenant(row) : null;
}

export interface TenantUsage {
  slug: string;
  identities: number;
  sessionsLast24h: number;
}

/** Identities per tenant and sessions started in the last 24 hours. */
export async function usage(db: Knex): Promise<TenantUsage[]> {
  const since = new Date(Date.now() - 24 * 3600_000);
  const rows = (await db('tenants as t')
    .whereNull('t.deleted_at')
    .select('t.slug')
    .select(db('identities as i').count('*').whereRaw('i.tenant_id = t.id').as('identities'))
    .select(
      db('sessions as s')
        .count('*')
        .whereRaw('s.tenant_id = t.id')
        .where('s.created_at', '>=', since)
        .as('sessions'),
    )
    .orderBy('t.slug')) as Array<{ slug: string; identities: number | string; sessions: number | string }>;
  return rows.map((r) => ({
    slug: r.slug,
    identities: Number(r.identities),
    sessionsLast24h: Number(r.sessions),
  }));
}

export interface PlatformHealth {
  registryReachable: boolean;
  tenantsByPhase: Array<{ phase: string; count: number }>;
}

export async function platformHealth(db: Knex): Promise<PlatformHealth> {
  try {
    const rows = (await db('tenants')
      .whereNull('deleted_at')
      .select('phase')
      .count('* as count')
      .groupBy('phase')
      .orderBy('phase')) as Array<{ phase: string; count: number | string }>;
    return {
      registryReachable: true,
      tenantsByPhase: rows.map((r) => ({ phase: r.phase, count: Number(r.count) })),
    };
  } catch {
    return { registryReachable: false, tenantsByPhase: [] };
  }
}

/** Writes `suspended` into the tenant's desired spec through the driver; the operator does the rest. */
export async function setSuspended(
  db: Knex,
  driver: TenantDriver,
  slug: string,
  suspended: boolean,
): Promise<AdminTenant> {
  const rec = await driver.get(slug);
  if (!rec || rec.deletedAt) throw new NotFound(`No tenant ${slug}`);
  await driver.apply({ ...rec.spec, slug: rec.slug, suspended });
  const after = await findTenant(db, slug);
  if (!after) throw new NotFound(`No tenant ${slug}`);
  return after;
}
