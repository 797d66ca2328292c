import { isDeepStrictEqual } from 'node:util';
import { randomSecret, withSpan } from '@solar/common';
import type { ConditionType, TenantStatus } from '../tenant-spec.js';
import { derivePhase, findCondition, isTrue, setCondition, type ConditionUpdate } from './conditions.js';
import { desired } from './desired.js';
import { ensureDatabase, ensureGrants, ensureUser, redact, tenantConnection } from './mysql-admin.js';
import { rotateCredentials } from './credential-rotation.js';
import { deletionPrevented, reconcileDeletion } from './reconcile-deletion.js';
import { migrateTenantSchema, withTenantMigrationLock } from './tenant-migrations.js';
import type { MigrationGateState, ReconcileResult, ReconcilerDeps, StepName, TenantObject } from './types.js';

/** Which condition a step reports on, and the reason it records when it fails. */
const stepCondition: Record<Exclude<StepName, 'status'>, { type: ConditionType; failed: string }> = {
  database: { type: 'DatabaseReady', failed: 'DatabaseCreateFailed' },
  credentials: { type: 'DatabaseReady', failed: 'CredentialsFailed' },
  user: { type: 'DatabaseReady', failed: 'UserFailed' },
  grants: { type: 'DatabaseReady', failed: 'GrantsFailed' },
  rotate: { type: 'DatabaseReady', failed: 'CredentialRotationFailed' },
  migrate: { type: 'Migrated', failed: 'MigrationFailed' },
  route: { type: 'Routable', failed: 'RouteFailed' },
};

class StepError extends Error {
  constructor(
    readonly step: Exclude<StepName, 'status'>,
    readonly original: Error,
    /** the condition reason when it is more precise than the step's own (`MigrationJobFailed`) */
    readonly reason?: string,
  ) {
    super(original.message);
  }
}

/** The migration gate reported a failure: the step fails with the gate's reason. */
class GateFailed extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One level-triggered pass over a tenant: compute the desired state, bring each piece of the world to it
 * (every step checks before it writes, so a converged tenant sees no writes), then write status if it
 * changed. Safe to re-run after a crash at any point; nothing carries over between calls except what
 * the steps can observe (database, user, grants, migrations table, credential store, routing entry).
 *
 * A failing step stops the pass, sets its condition False with a `...Failed` reason and records lastError;
 * what earlier passes achieved (schema version, routing entry) is left as it was.
 */
export async function reconcileTenant(deps: ReconcilerDeps, tenant: TenantObject): Promise<ReconcileResult> {
  return withSpan(
    'solar-crm/operator',
    'reconcile tenant',
    { 'tenant.id': tenant.id, 'tenant.generation': tenant.generation },
    () =>
      tenant.deletionRequestedAt && !tenant.spec.preventDeletion
        ? reconcileDeletion(deps, tenant)
        : reconcileInner(deps, tenant),
  );
}

async function reconcileInner(deps: ReconcilerDeps, tenant: TenantObject): Promise<ReconcileResult> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.logger.child({ tenant: tenant.id, slug: tenant.slug, generation: tenant.generation });
  const prev = tenant.status;
  const gen = tenant.generation;
  const want = desired(tenant, deps.endpointFor(tenant));

  const observed = {
    database: prev.database,
    schemaVersion: prev.schemaVersion,
    endpoint: prev.endpoint,
    runtimeVersion: prev.runtimeVersion,
  };
  let conditions = prev.conditions;
  const set = (u: Omit<ConditionUpdate, 'observedGeneration'>) =>
    (conditions = setCondition(conditions, { ...u, observedGeneration: gen }, now));
  // Conditions nobody has reported on yet start Unknown rather than missing.
  for (const type of ['DatabaseReady', 'Migrated', 'Routable'] as const) {
    if (!findCondition(conditions, type))
      set({ type, status: 'Unknown', reason: 'Reconciling', message: 'not reconciled yet' });
  }

  const step = async <T>(name: Exclude<StepName, 'status'>, fn: () => Promise<T>): Promise<T> => {
    try {
      await deps.faults?.({ step: name, when: 'before', tenantId: tenant.id });
      const out = await fn();
      await deps.faults?.({ step: name, when: 'after', tenantId: tenant.id });
      return out;
    } catch (err) {
      const original = err instanceof Error ? err : new Error(String(err));
      throw new StepError(name, original, err instanceof GateFailed ? err.reason : undefined);
    }
  };

  let failure: StepError | undefined;
  let password = '';
  let requeueAfterMs: number | undefined;
  let waiting: Extract<MigrationGateState, { state: 'waiting' }> | undefined;
  try {
    await step('database', () => ensureDatabase(deps.admin, want));
    password = await step('credentials', async () => {
      const stored = await deps.credentials.get(tenant.id);
      if (stored) return stored;
      // Stored before the user exists: a crash after this point finds the same password next time.
      // put() only fills an empty slot, so re-reading settles a race with another operator process.
      await deps.credentials.put(tenant.id, randomSecret());
      const settled = await deps.credentials.get(tenant.id);
      if (!settled) throw new Error('credential store lost the password it just stored');
      return settled;
    });
    await step('user', () => ensureUser(deps.admin, deps.tenantDbUrl, want, password));
    await step('grants', () => ensureGrants(deps.admin, want));
    const rotation = await step('rotate', () =>
      rotateCredentials(deps, { tenantId: tenant.id, user: want.user, current: password, now }),
    );
    if (rotation.rotated)
      log.info('tenant DB password rotated; the old one stays accepted for the grace period');
    if (rotation.settled) log.info('old tenant DB password retired');
    password = rotation.password;
    requeueAfterMs = rotation.requeueAfterMs;
    observed.database = { schema: want.schema, user: want.user };
    set({
      type: 'DatabaseReady',
      status: 'True',
      reason: 'Provisioned',
      message: `schema ${want.schema} and user ${want.user} ready`,
    });

    const migrated = await step('migrate', async () => {
      // The gate (Kubernetes: the runtime image's migration Job) goes first; this step then only confirms
      // the schema is at the version this code expects, or applies what is pending when there is no gate.
      const gate = (await deps.migrationGate?.(tenant)) ?? { state: 'ready' };
      if (gate.state === 'failed') throw new GateFailed(gate.reason, gate.message);
      if (gate.state === 'waiting') return gate;
      const db = tenantConnection(deps.tenantDbUrl, want, password, 1);
      try {
        return await withTenantMigrationLock(deps.admin, want.schema, () =>
          migrateTenantSchema(db, deps.migrations),
        );
      } finally {
        await db.destroy();
      }
    });
    if ('state' in migrated) {
      // not a failure: the schema and route stay as earlier passes left them until the wait is over
      waiting = migrated;
      set({ type: 'Migrated', status: 'False', reason: migrated.reason, message: migrated.message });
      if (migrated.recheckAfterMs !== undefined)
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, migrated.recheckAfterMs);
    } else {
      if (migrated.applied.length > 0) log.info({ applied: migrated.applied }, 'tenant migrations applied');
      observed.schemaVersion = migrated.version || null;
      set({
        type: 'Migrated',
        status: 'True',
        reason: 'UpToDate',
        message: `at ${migrated.version || '(none)'}`,
      });

      const endpoint = await step('route', async () => {
        if ((await deps.routes.lookup(tenant.id)) !== want.endpoint)
          await deps.routes.publish(tenant.id, want.endpoint);
        return want.endpoint;
      });
      observed.endpoint = endpoint;
      observed.runtimeVersion = want.runtimeVersion;
      set({
        type: 'Routable',
        status: 'True',
        reason: 'EndpointPublished',
        message: `routed to ${endpoint}`,
      });
    }
  } catch (err) {
    if (!(err instanceof StepError)) throw err;
    failure = new StepError(err.step, redact(err.original, password), err.reason);
    const { type, failed } = stepCondition[failure.step];
    set({ type, status: 'False', reason: failure.reason ?? failed, message: failure.message });
    log.warn({ step: failure.step, err: failure.original }, 'reconcile step failed');
  }

  set(
    !want.suspended
      ? { type: 'Suspended', status: 'False', reason: 'Active', message: 'tenant is active' }
      : want.suspendMode === 'Blocked'
        ? {
            type: 'Suspended',
            status: 'True',
            reason: 'SuspendedBlocked',
            message: 'spec.suspended with suspendMode Blocked: every request is refused (403)',
          }
        : {
            type: 'Suspended',
            status: 'True',
            reason: 'SuspendedBySpec',
            message: 'spec.suspended with suspendMode ReadOnly: reads served, writes refused (423)',
          },
  );
  if (tenant.deletionRequestedAt) set(deletionPrevented(tenant.spec.deletionPolicy));
  const allUp = ['DatabaseReady', 'Migrated', 'Routable'].every((t) =>
    isTrue(conditions, t as ConditionType),
  );
  if (failure) {
    const reason = failure.reason ?? stepCondition[failure.step].failed;
    set({ type: 'Ready', status: 'False', reason, message: `${failure.step}: ${failure.message}` });
  } else if (want.suspended) {
    set({ type: 'Ready', status: 'False', reason: 'Suspended', message: 'tenant is suspended' });
  } else if (waiting) {
    set({ type: 'Ready', status: 'False', reason: waiting.reason, message: waiting.message });
  } else if (allUp) {
    set({ type: 'Ready', status: 'True', reason: 'TenantReady', message: 'tenant is serving' });
  } else {
    set({ type: 'Ready', status: 'False', reason: 'Reconciling', message: 'tenant is not serving yet' });
  }

  const status: TenantStatus = {
    phase: derivePhase(conditions, observed),
    observedGeneration: gen,
    conditions,
    database: observed.database,
    schemaVersion: observed.schemaVersion,
    runtimeVersion: observed.runtimeVersion,
    endpoint: observed.endpoint,
    lastError: failure ? `${failure.step}: ${failure.message}` : null,
  };

  if (!isDeepStrictEqual(status, prev)) {
    await deps.faults?.({ step: 'status', when: 'before', tenantId: tenant.id });
    await deps.status.write(tenant, status);
    await deps.faults?.({ step: 'status', when: 'after', tenantId: tenant.id });
    if (status.phase !== prev.phase) log.info({ from: prev.phase, to: status.phase }, 'tenant phase changed');
  }
  const requeue = requeueAfterMs !== undefined ? { requeueAfterMs } : {};
  if (failure) return { ok: false, status, error: failure.original, failedStep: failure.step };
  if (waiting)
    return {
      ok: false,
      status,
      waiting: { step: 'migrate', reason: waiting.reason, message: waiting.message },
      ...requeue,
    };
  return { ok: true, status, ...requeue };
}
