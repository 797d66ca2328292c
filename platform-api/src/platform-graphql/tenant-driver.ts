/**
 * What the platform GraphQL needs from the operator's driver (local or Kubernetes), typed structurally so
 * platform-api does not depend on the operator package: the lead passes `createLocalDriver(...)` or a
 * Kubernetes-backed equivalent.
 */
export interface DriverSpec {
  slug: string;
  displayName: string;
  plan?: 'starter' | 'growth' | 'enterprise';
  suspended?: boolean;
  deletionPolicy?: 'Retain' | 'Snapshot' | 'Delete';
  [field: string]: unknown;
}

export interface DriverTenant {
  id: string;
  slug: string;
  spec: DriverSpec;
  status: { phase: string; lastError: string | null };
  deletedAt: Date | null;
}

export interface TenantDriver {
  /** upserts the desired spec by slug and reconciles once */
  apply(spec: DriverSpec, opts?: { id?: string }): Promise<DriverTenant>;
  /** deletes by the tenant's deletionPolicy and reconciles once */
  delete(slug: string): Promise<DriverTenant>;
  get(slug: string): Promise<DriverTenant | null>;
}
