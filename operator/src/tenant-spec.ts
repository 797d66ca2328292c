import { z } from 'zod';

/**
 * The Tenant resource's spec and status. One schema for both drivers: the CRD's openAPI schema mirrors
 * these fields exactly, and the local driver stores the same spec in platform.tenants.
 */

const hostname = z
  .string()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, {
    message: 'must be a lower-case hostname such as crm.example.com',
  });

const positiveInt = z.number().int().positive();

export const tenantSpecSchema = z.object({
  slug: z.string().regex(/^[a-z][a-z0-9-]{1,38}[a-z0-9]$/, {
    message: 'must be a DNS label: 3-40 lower-case letters, digits or dashes, starting with a letter',
  }),
  displayName: z.string().trim().min(1).max(200),
  plan: z.enum(['starter', 'growth', 'enterprise']).default('starter'),
  isolation: z.enum(['pooled', 'dedicated']).default('pooled'),
  runtime: z
    .object({
      version: z.string().min(1).max(64).default('dev'),
      replicas: z.number().int().min(1).max(20).default(1),
    })
    .prefault({}),
  domains: z.array(hostname).default([]),
  suspended: z.boolean().default(false),
  /** while suspended: ReadOnly (reads served, writes 423) or Blocked (everything 403) */
  suspendMode: z.enum(['ReadOnly', 'Blocked']).default('ReadOnly'),
  deletionPolicy: z.enum(['Retain', 'Snapshot', 'Delete']).default('Retain'),
  preventDeletion: z.boolean().default(false),
  sso: z
    .object({
      issuer: z.url(),
      clientId: z.string().min(1),
      secretRef: z.object({ name: z.string().min(1), key: z.string().min(1) }),
    })
    .optional(),
  quotas: z
    .object({
      maxUsers: positiveInt.optional(),
      maxLeads: positiveInt.optional(),
      apiRequestsPerMinute: positiveInt.optional(),
    })
    .optional(),
});

/** What callers write (defaults optional). */
export type TenantSpecInput = z.input<typeof tenantSpecSchema>;
/** What the reconciler works with (defaults filled in). */
export type TenantSpec = z.output<typeof tenantSpecSchema>;

export const conditionTypes = [
  'DatabaseReady',
  'Migrated',
  'Routable',
  'Ready',
  'Suspended',
  'Deleting',
] as const;
export type ConditionType = (typeof conditionTypes)[number];

/** A Kubernetes-style condition (metav1.Condition). */
export interface Condition {
  type: ConditionType;
  status: 'True' | 'False' | 'Unknown';
  /** CamelCase, machine-readable */
  reason: string;
  message: string;
  observedGeneration: number;
  /** ISO-8601; changes only when `status` flips */
  lastTransitionTime: string;
}

export const tenantPhases = [
  'Pending',
  'Provisioning',
  'Ready',
  'Suspended',
  'Upgrading',
  'Deleting',
  'Failed',
] as const;
export type TenantPhase = (typeof tenantPhases)[number];

export interface TenantStatus {
  phase: TenantPhase;
  observedGeneration: number;
  conditions: Condition[];
  database: { schema: string; user: string } | null;
  /** name of the newest tenant migration applied; null before the first migration */
  schemaVersion: string | null;
  runtimeVersion: string | null;
  /** runtime base URL platform-api forwards to; null until routable */
  endpoint: string | null;
  lastError: string | null;
}

export const emptyStatus = (): TenantStatus => ({
  phase: 'Pending',
  observedGeneration: 0,
  conditions: [],
  database: null,
  schemaVersion: null,
  runtimeVersion: null,
  endpoint: null,
  lastError: null,
});

/** Tenant ids are short random strings; the schema and DB user are both `t_<id>`. */
export const tenantIdPattern = /^[a-z0-9]{12}$/;
