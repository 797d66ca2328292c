import type { Condition, ConditionType, TenantPhase } from '../tenant-spec.js';

export type ConditionUpdate = Omit<Condition, 'lastTransitionTime'>;

/**
 * Sets one condition, keeping the list order stable. lastTransitionTime moves only when the status flips,
 * so re-running a converged reconcile leaves conditions byte-for-byte equal.
 */
export function setCondition(
  conditions: readonly Condition[],
  next: ConditionUpdate,
  now: Date,
): Condition[] {
  const prev = conditions.find((c) => c.type === next.type);
  const lastTransitionTime =
    prev && prev.status === next.status ? prev.lastTransitionTime : now.toISOString();
  const updated: Condition = { ...next, lastTransitionTime };
  return prev ? conditions.map((c) => (c.type === next.type ? updated : c)) : [...conditions, updated];
}

export function findCondition(conditions: readonly Condition[], type: ConditionType): Condition | undefined {
  return conditions.find((c) => c.type === type);
}

export const isTrue = (conditions: readonly Condition[], type: ConditionType) =>
  findCondition(conditions, type)?.status === 'True';

/** Reasons that mean a step failed (as opposed to not having run yet). */
export const isFailureReason = (reason: string) => reason.endsWith('Failed');

/** The phase is a summary of the conditions, never stored state of its own. */
export function derivePhase(
  conditions: readonly Condition[],
  observed: { schemaVersion: string | null; deleting?: boolean },
): TenantPhase {
  if (observed.deleting) return 'Deleting';
  if (conditions.length === 0) return 'Pending';
  if (conditions.some((c) => c.status === 'False' && isFailureReason(c.reason))) return 'Failed';
  if (isTrue(conditions, 'Suspended')) return 'Suspended';
  if (isTrue(conditions, 'Ready')) return 'Ready';
  if (observed.schemaVersion && !isTrue(conditions, 'Migrated')) return 'Upgrading';
  return 'Provisioning';
}
