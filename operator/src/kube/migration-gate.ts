import type { V1Job } from '@kubernetes/client-node';
import { findCondition } from '../reconciler/conditions.js';
import type { MigrationGate, MigrationGateState } from '../reconciler/types.js';
import type { TenantSpec, TenantStatus } from '../tenant-spec.js';

/**
 * In a cluster the runtime image of the pinned version migrates the tenant, in a Job; the operator waits for
 * that Job before it reports Migrated=True. This is the reconciler's migration gate for that: it ensures the
 * Job exists and reports its state. While the Job runs the tenant shows Migrated=False/MigrationJobRunning
 * (phase Provisioning or Upgrading, no lastError); a failed Job leaves the tenant on its old version with
 * Migrated=False/MigrationJobFailed; once the Job is complete the reconciler's own migrate step runs and
 * finds nothing pending (it stays as the check that the schema really is at the version the image expects).
 */
export const MIGRATION_JOB_RUNNING = 'MigrationJobRunning';
export const MIGRATION_JOB_FAILED = 'MigrationJobFailed';

/** How soon to look again at a tenant waiting for its migration Job, should its watch event be missed. */
export const PENDING_RECHECK_MS = 30_000;

export type JobState = { state: 'complete' } | { state: 'pending' } | { state: 'failed'; message: string };

export function jobState(job: V1Job | null): JobState {
  if (!job) return { state: 'pending' };
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) {
    const why = [failed.reason, failed.message].filter(Boolean).join(': ');
    return { state: 'failed', message: why || 'the Job failed' };
  }
  if (
    conditions.some((c) => c.type === 'Complete' && c.status === 'True') ||
    (job.status?.succeeded ?? 0) > 0
  )
    return { state: 'complete' };
  return { state: 'pending' };
}

/** A Job is needed until the tenant has been migrated for the version its spec pins. */
export function needsMigrationJob(spec: TenantSpec, status: TenantStatus): boolean {
  return !(
    status.runtimeVersion === spec.runtime.version &&
    findCondition(status.conditions, 'Migrated')?.status === 'True'
  );
}

/**
 * The gate for one tenant pass: applies the version's Job (server-side apply: a no-op once it exists) and
 * maps its state. A tenant already migrated for its pinned version needs no Job and passes straight through.
 */
export function jobMigrationGate(job: {
  name: string;
  /** server-side applies the Job */
  ensure: () => Promise<unknown>;
  read: () => Promise<V1Job | null>;
}): MigrationGate {
  return async (tenant): Promise<MigrationGateState> => {
    if (!needsMigrationJob(tenant.spec, tenant.status)) return { state: 'ready' };
    await job.ensure();
    const s = jobState(await job.read());
    if (s.state === 'complete') return { state: 'ready' };
    if (s.state === 'failed')
      return {
        state: 'failed',
        reason: MIGRATION_JOB_FAILED,
        message: `migration Job ${job.name} for version ${tenant.spec.runtime.version} failed (${s.message}); the tenant stays on its previous version`,
      };
    return {
      state: 'waiting',
      reason: MIGRATION_JOB_RUNNING,
      message: `waiting for migration Job ${job.name} to complete`,
      recheckAfterMs: PENDING_RECHECK_MS,
    };
  };
}
