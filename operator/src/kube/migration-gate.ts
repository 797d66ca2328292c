import type { V1Job } from '@kubernetes/client-node';
import { derivePhase, findCondition } from '../reconciler/conditions.js';
import type { FaultInjector } from '../reconciler/types.js';
import type { TenantSpec, TenantStatus } from '../tenant-spec.js';

/**
 * In a cluster the runtime image of the pinned version migrates the tenant, in a Job; the operator waits for
 * that Job before it reports Migrated=True. The shared reconciler has no hook for "wait", only its step
 * hook, so the wait is a typed refusal thrown before the `migrate` step, and the status it produces is
 * rewritten from a failure into a wait (Migrated=False/MigrationJobRunning, phase Provisioning or Upgrading,
 * no lastError). Once the Job is done, the reconciler's own migrate step runs and finds nothing pending
 * (it stays as the check that the schema really is at the version the image expects).
 */
export const MIGRATION_PENDING = 'MigrationJobPending';
const PENDING_REASON = 'MigrationJobRunning';

export class MigrationJobPending extends Error {
  constructor(job: string) {
    super(`waiting for migration Job ${job} to complete`);
    this.name = MIGRATION_PENDING;
  }
}

export type JobState = { state: 'complete' } | { state: 'pending' } | { state: 'failed'; message: string };

export function jobState(job: V1Job | null): JobState {
  if (!job) return { state: 'pending' };
  const conditions = job.status?.conditions ?? [];
  const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
  if (failed) return { state: 'failed', message: failed.message ?? failed.reason ?? 'the Job failed' };
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

/** The step hook: lets `migrate` run only once the Job completed. */
export function migrationGate(jobName: string, read: () => Promise<V1Job | null>): FaultInjector {
  return async (p) => {
    if (p.step !== 'migrate' || p.when !== 'before') return;
    const s = jobState(await read());
    if (s.state === 'pending') throw new MigrationJobPending(jobName);
    if (s.state === 'failed') throw new Error(`migration Job ${jobName} failed: ${s.message}`);
  };
}

export const isMigrationPending = (err: Error | undefined) => err?.name === MIGRATION_PENDING;

/** Turns the reconciler's "migrate failed: waiting for …" into the wait it really is. */
export function softenPendingMigration(status: TenantStatus): TenantStatus {
  if (!status.lastError?.startsWith('migrate: waiting for migration Job')) return status;
  const message = status.lastError.slice('migrate: '.length);
  const conditions = status.conditions.map((c) =>
    (c.type === 'Migrated' || c.type === 'Ready') && c.reason === 'MigrationFailed'
      ? { ...c, reason: PENDING_REASON, message }
      : c,
  );
  return {
    ...status,
    conditions,
    lastError: null,
    phase: derivePhase(conditions, { schemaVersion: status.schemaVersion }),
  };
}
