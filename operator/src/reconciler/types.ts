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
  /**
   * When someone asked for the tenant to go (Kubernetes: metadata.deletionTimestamp; local: delete()).
   * From then on the reconciler runs the deletion policy instead of provisioning.
   */
  deletionRequestedAt?: Date | null;
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
  /** The rotation state: a staged next password and when the last rotation was promoted. */
  rotation(tenantId: string): Promise<{ next: string | null; rotatedAt: Date | null }>;
  /** Stages `password` as the next one if none is staged (callers re-read with rotation). */
  stage(tenantId: string, password: string): Promise<void>;
  /** The staged password becomes the current one (rotatedAt = now); a no-op unless `password` is staged. */
  promote(tenantId: string, password: string): Promise<void>;
  /** The old password has been dropped from the DB user: clears rotatedAt. */
  settle(tenantId: string): Promise<void>;
  /** Forgets every stored password (the DB user is gone). */
  forget(tenantId: string): Promise<void>;
}

/** Persists observed status. Called only when the status actually changed. */
export interface StatusWriter {
  write(tenant: TenantObject, status: TenantStatus): Promise<void>;
  /**
   * Deletion has finished: the tenant may go (local: deleted_at is set and its domains are freed, so
   * platform-api answers 404; Kubernetes: the finalizer is removed). Idempotent.
   */
  finalize(tenant: TenantObject): Promise<void>;
}

/** The routing entry platform-api reads to forward a tenant's requests. */
export interface RouteTable {
  lookup(tenantId: string): Promise<string | null>;
  publish(tenantId: string, endpoint: string): Promise<void>;
  /** Removes the routing entry (deletion); platform-api stops forwarding. */
  withdraw(tenantId: string): Promise<void>;
}

/** The idempotent steps of one reconcile, in order. */
export const stepNames = [
  'database',
  'credentials',
  'user',
  'grants',
  'rotate',
  'migrate',
  'route',
  'status',
] as const;
export type StepName = (typeof stepNames)[number];

/** The idempotent steps of a deletion, in order (`snapshot` runs for the Snapshot policy only). */
export const deletionStepNames = ['unroute', 'revoke', 'snapshot', 'drop', 'forget', 'finalize'] as const;
export type DeletionStepName = (typeof deletionStepNames)[number];

export interface FaultPoint {
  step: StepName | DeletionStepName;
  when: 'before' | 'after';
  tenantId: string;
}

/**
 * Test hook called around every step; throwing simulates a crash at exactly that point.
 * Production wiring leaves it out.
 */
export type FaultInjector = (point: FaultPoint) => void | Promise<void>;

/**
 * What a migration gate says about the tenant's schema before the in-process `migrate` step runs:
 * - `ready`: go ahead (the step then applies whatever is pending, or just confirms the version);
 * - `waiting`: something else is migrating (Kubernetes: the runtime image's Job); the pass stops short of
 *   `migrate` and `route` without a failure — Migrated=False with `reason`, no lastError, asked back in
 *   `recheckAfterMs`;
 * - `failed`: that migration failed; the tenant stays on its old version and route, Migrated=False with
 *   `reason` (a `...Failed` one, so the phase is Failed) and lastError carrying `message`.
 */
export type MigrationGateState =
  | { state: 'ready' }
  | { state: 'waiting'; reason: string; message: string; recheckAfterMs?: number }
  | { state: 'failed'; reason: `${string}Failed`; message: string };

/** Consulted before the `migrate` step; a throw counts as that step failing. */
export type MigrationGate = (tenant: TenantObject) => Promise<MigrationGateState>;

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
  /** server-level URL `admin` was made from; mariadb-dump logs in with it for Snapshot deletions */
  adminDbUrl: string;
  /** where Snapshot deletions write `t_<id>.sql` */
  snapshotDir: string;
  /**
   * After a credential rotation, how long the DB user keeps accepting the old password too. Must outlast
   * how long a runtime trusts a cached registry row, so no runtime is ever left holding a refused password.
   */
  rotationGraceMs: number;
  /** tenant migrations to apply; defaults to tenant-runtime's list */
  migrations?: readonly Migration[];
  /** absent: the reconciler migrates in-process right away (local driver) */
  migrationGate?: MigrationGate;
  faults?: FaultInjector;
  now?: () => Date;
}

export interface ReconcileResult {
  /** true when every step succeeded (the tenant is Ready, or Suspended as asked) */
  ok: boolean;
  status: TenantStatus;
  /** the failing step's error (message already stripped of secrets) */
  error?: Error;
  failedStep?: StepName | DeletionStepName;
  /** the tenant needs another pass at this time even if nothing changes (e.g. a rotation grace ends) */
  requeueAfterMs?: number;
  /** the pass stopped, without failing, at a step waiting on someone else (the migration gate) */
  waiting?: { step: StepName; reason: string; message: string };
}
