import type { Knex, Logger, Migration } from '@solar/common';
import type { TenantSpec, TenantStatus } from '../tenant-spec.js';

/** One tenant as a driver hands it to the reconciler: identity, desired spec, last written status. */
export interface TenantObject {
  id: string;
  slug: string;
  /** bumped by the driver whenever the spec changes */
  generation: number;
  spec: TenantSpec;
  status: TenantStatus;
}

/**
 * Where the tenant's DB password lives (plaintext in and out; the store decides how it is kept at rest —
 * sealed in platform.tenants locally, a Secret on Kubernetes).
 */
export interface CredentialStore {
  /** the stored password, or null when none was stored yet */
  get(tenantId: string): Promise<string | null>;
  /** stores a password if none is stored yet; never replaces one (callers re-read with get) */
  put(tenantId: string, password: string): Promise<void>;
}

/** Persists observed status. Called only when the status actually changed. */
export interface StatusWriter {
  write(tenant: TenantObject, status: TenantStatus): Promise<void>;
}

/** The routing entry platform-api reads to forward a tenant's requests. */
export interface RouteTable {
  lookup(tenantId: string): Promise<string | null>;
  publish(tenantId: string, endpoint: string): Promise<void>;
}

/** The idempotent steps of one reconcile, in order. */
export const stepNames = ['database', 'credentials', 'user', 'grants', 'migrate', 'route', 'status'] as const;
export type StepName = (typeof stepNames)[number];

export interface FaultPoint {
  step: StepName;
  when: 'before' | 'after';
  tenantId: string;
}

/**
 * Test hook called around every step; throwing simulates a crash at exactly that point.
 * Production wiring leaves it out.
 */
export type FaultInjector = (point: FaultPoint) => void | Promise<void>;

export interface ReconcilerDeps {
  /** server-level connection able to create databases and users (root locally); no default database */
  admin: Knex;
  /** mysql://host:port the tenant's own user logs in to (credentials in the URL are ignored) */
  tenantDbUrl: string;
  credentials: CredentialStore;
  status: StatusWriter;
  routes: RouteTable;
  /** the runtime base URL that serves this tenant (pooled runtime or its dedicated Deployment) */
  endpointFor(tenant: TenantObject): string;
  logger: Logger;
  /** tenant migrations to apply; defaults to tenant-runtime's list */
  migrations?: readonly Migration[];
  faults?: FaultInjector;
  now?: () => Date;
}

export interface ReconcileResult {
  /** true when every step succeeded (the tenant is Ready, or Suspended as asked) */
  ok: boolean;
  status: TenantStatus;
  /** the failing step's error (message already stripped of secrets) */
  error?: Error;
  failedStep?: StepName;
}
