import { randomInt } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Knex } from '@solar/common';
import { tenantSpecSchema, type Condition, type TenantSpec, type TenantStatus } from '../tenant-spec.js';
import type { TenantObject } from '../reconciler/types.js';

/**
 * How a Tenant maps onto platform.tenants (+ tenant_domains). The whole spec is kept in the `spec` JSON column
 * so every field round-trips; the columns platform-api and the runtime read (display name, plan, suspended,
 * suspend mode, deletion policy…) are written beside it and win when both exist, because platform-api may
 * change them (signup writes columns only, leaving `spec` null).
 */
export interface TenantRow {
  id: string;
  slug: string;
  display_name: string;
  plan: string;
  isolation: string;
  runtime_version: string;
  suspended: number | boolean;
  suspend_mode: string;
  deletion_policy: string;
  spec: string | Record<string, unknown> | null;
  deletion_requested_at: Date | null;
  db_password_next_sealed: string | null;
  db_password_rotated_at: Date | null;
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
  /** set once deletion finished (the row is kept, soft-deleted, so platform-api answers 404) */
  deletedAt: Date | null;
}

/** The spec as the `spec` column keeps it: everything but slug and domains, which have homes of their own. */
function storedSpec(spec: TenantSpec): Record<string, unknown> {
  const { slug: _slug, domains: _domains, ...rest } = spec;
  return rest;
}

/** The spec columns as stored, for writing. */
export function specColumns(spec: TenantSpec) {
  return {
    display_name: spec.displayName,
    plan: spec.plan,
    isolation: spec.isolation,
    runtime_version: spec.runtime.version,
    suspended: spec.suspended,
    suspend_mode: spec.suspendMode,
    deletion_policy: spec.deletionPolicy,
    spec: JSON.stringify(storedSpec(spec)),
  };
}

/** True when the row already holds exactly `spec` (columns and JSON alike), domains aside. */
export function sameStoredSpec(row: TenantRow, spec: TenantSpec): boolean {
  const stored = rowSpec(row, []);
  return (
    row.spec !== null &&
    isDeepStrictEqual(storedSpec(stored), storedSpec(spec)) &&
    isDeepStrictEqual(parseJson(row.spec), JSON.parse(JSON.stringify(storedSpec(spec))))
  );
}

function parseJson(value: string | Record<string, unknown> | null): Record<string, unknown> {
  if (value === null) return {};
  return typeof value === 'string' ? (JSON.parse(value) as Record<string, unknown>) : value;
}

/** The desired spec a row describes: the JSON first, then the columns on top. */
export function rowSpec(row: TenantRow, domains: string[]): TenantSpec {
  const json = parseJson(row.spec);
  const runtime = typeof json.runtime === 'object' && json.runtime !== null ? json.runtime : {};
  return tenantSpecSchema.parse({
    ...json,
    slug: row.slug,
    displayName: row.display_name,
    plan: row.plan,
    isolation: row.isolation,
    runtime: { ...runtime, version: row.runtime_version },
    domains,
    suspended: Boolean(row.suspended),
    suspendMode: row.suspend_mode,
    deletionPolicy: row.deletion_policy,
  });
}

export function toRecord(row: TenantRow, domains: string[]): TenantRecord {
  const spec = rowSpec(row, domains);
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
    deletionRequestedAt: row.deletion_requested_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    deletedAt: row.deleted_at,
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
