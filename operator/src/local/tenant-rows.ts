import { randomInt } from 'node:crypto';
import type { Knex } from '@solar/common';
import { tenantSpecSchema, type Condition, type TenantSpec, type TenantStatus } from '../tenant-spec.js';
import type { TenantObject } from '../reconciler/types.js';

/**
 * How a Tenant maps onto platform.tenants (+ tenant_domains). The table keeps the spec fields the platform
 * routes and bills by; the rest (replicas, sso, quotas, preventDeletion) only matter to the Kubernetes driver
 * and take their defaults here.
 */
export interface TenantRow {
  id: string;
  slug: string;
  display_name: string;
  plan: string;
  isolation: string;
  runtime_version: string;
  suspended: number | boolean;
  deletion_policy: string;
  generation: number;
  phase: string;
  observed_generation: number;
  conditions: string | Condition[] | null;
  db_schema: string | null;
  db_user: string | null;
  db_password_sealed: string | null;
  schema_version: string | null;
  endpoint: string | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface TenantRecord extends TenantObject {
  createdAt: Date;
  updatedAt: Date;
}

/** The spec columns as stored, for comparing and writing. */
export function specColumns(spec: TenantSpec) {
  return {
    display_name: spec.displayName,
    plan: spec.plan,
    isolation: spec.isolation,
    runtime_version: spec.runtime.version,
    suspended: spec.suspended,
    deletion_policy: spec.deletionPolicy,
  };
}

export function rowSpecColumns(row: TenantRow) {
  return {
    display_name: row.display_name,
    plan: row.plan,
    isolation: row.isolation,
    runtime_version: row.runtime_version,
    suspended: Boolean(row.suspended),
    deletion_policy: row.deletion_policy,
  };
}

export function toRecord(row: TenantRow, domains: string[]): TenantRecord {
  const spec = tenantSpecSchema.parse({
    slug: row.slug,
    displayName: row.display_name,
    plan: row.plan,
    isolation: row.isolation,
    runtime: { version: row.runtime_version },
    domains,
    suspended: Boolean(row.suspended),
    deletionPolicy: row.deletion_policy,
  });
  const conditions =
    typeof row.conditions === 'string' ? (JSON.parse(row.conditions) as Condition[]) : (row.conditions ?? []);
  const status: TenantStatus = {
    phase: row.phase as TenantStatus['phase'],
    observedGeneration: row.observed_generation,
    conditions,
    database: row.db_schema && row.db_user ? { schema: row.db_schema, user: row.db_user } : null,
    schemaVersion: row.schema_version,
    // the pooled runtime serves whatever version the spec pins once the tenant is routed
    runtimeVersion: row.endpoint ? row.runtime_version : null,
    endpoint: row.endpoint,
    lastError: row.last_error,
  };
  return {
    id: row.id,
    slug: row.slug,
    generation: row.generation,
    spec,
    status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function loadDomains(db: Knex, tenantId: string): Promise<string[]> {
  const rows = (await db('tenant_domains').where({ tenant_id: tenantId }).orderBy('domain')) as Array<{
    domain: string;
  }>;
  return rows.map((r) => r.domain);
}

export async function loadRecord(
  db: Knex,
  where: { id: string } | { slug: string },
): Promise<TenantRecord | null> {
  const row = (await db('tenants').where(where).first()) as TenantRow | undefined;
  return row ? toRecord(row, await loadDomains(db, row.id)) : null;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** 12 characters of [a-z0-9] from the CSPRNG (~62 bits): the tenant id, schema and DB user suffix. */
export function newTenantId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
