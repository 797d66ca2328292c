import { isDeepStrictEqual } from 'node:util';
import type { ConditionType, TenantStatus } from '../tenant-spec.js';
import { derivePhase, setCondition, type ConditionUpdate } from './conditions.js';
import { desired } from './desired.js';
import { dropTenant, listTables, redact, revokeAccess, schemaExists } from './mysql-admin.js';
import { dumpSchema, existingSnapshot, verifyDump } from './snapshot.js';
import type { DeletionStepName, ReconcileResult, ReconcilerDeps, TenantObject } from './types.js';

const failedReason: Record<DeletionStepName, string> = {
  unroute: 'UnrouteFailed',
  revoke: 'RevokeFailed',
  snapshot: 'SnapshotFailed',
  drop: 'DropFailed',
  forget: 'ForgetFailed',
  finalize: 'FinalizeFailed',
};

class DeletionStepError extends Error {
  constructor(
    readonly step: DeletionStepName,
    readonly original: Error,
  ) {
    super(original.message);
  }
}

/**
 * Deletion by `spec.deletionPolicy`, as a sequence of steps that each check before they write, so a pass
 * re-run after a crash anywhere picks up where the last one stopped:
 *
 *   unroute → revoke → [snapshot] → [drop] → forget → finalize
 *
 * - Retain: the routing entry goes, the DB user loses every privilege, is locked and its sessions are
 *   killed; schema and user stay (the data can be restored by hand). The sealed password is kept.
 * - Snapshot: as Retain, then the schema is dumped to `<snapshotDir>/t_<id>.sql` and verified, then schema
 *   and user are dropped. A dump that fails or does not verify stops the deletion before anything is dropped.
 * - Delete: as Retain, then schema and user are dropped.
 *
 * finalize lets the tenant go (local: deleted_at, so platform-api answers 404; Kubernetes: the finalizer).
 * The caller checks `spec.preventDeletion` first: a protected tenant never reaches this function.
 */
export async function reconcileDeletion(
  deps: ReconcilerDeps,
  tenant: TenantObject,
): Promise<ReconcileResult> {
  const now = (deps.now ?? (() => new Date()))();
  const log = deps.logger.child({
    tenant: tenant.id,
    slug: tenant.slug,
    deletion: tenant.spec.deletionPolicy,
  });
  const prev = tenant.status;
  const gen = tenant.generation;
  const want = desired(tenant, deps.endpointFor(tenant));
  const policy = tenant.spec.deletionPolicy;

  let conditions = prev.conditions;
  const set = (u: Omit<ConditionUpdate, 'observedGeneration'>) =>
    (conditions = setCondition(conditions, { ...u, observedGeneration: gen }, now));
  const observed = { database: prev.database, endpoint: prev.endpoint, schemaVersion: prev.schemaVersion };

  const step = async <T>(name: DeletionStepName, fn: () => Promise<T>): Promise<T> => {
    try {
      await deps.faults?.({ step: name, when: 'before', tenantId: tenant.id });
      const out = await fn();
      await deps.faults?.({ step: name, when: 'after', tenantId: tenant.id });
      return out;
    } catch (err) {
      throw new DeletionStepError(name, err instanceof Error ? err : new Error(String(err)));
    }
  };

  let failure: DeletionStepError | undefined;
  let summary = '';
  // the password may sit in a driver error message (it is bound into SQL nowhere here, but be sure)
  const password = (await deps.credentials.get(tenant.id).catch(() => null)) ?? '';
  try {
    await step('unroute', async () => {
      if ((await deps.routes.lookup(tenant.id)) !== null) await deps.routes.withdraw(tenant.id);
    });
    observed.endpoint = null;
    set({
      type: 'Routable',
      status: 'False',
      reason: 'Unrouted',
      message: 'routing entry removed (deleting)',
    });

    await step('revoke', () => revokeAccess(deps.admin, want.user));

    let snapshot: string | null = null;
    if (policy === 'Snapshot') {
      snapshot = await step('snapshot', async () => {
        const done = await existingSnapshot(deps.snapshotDir, want.schema);
        if (done) {
          // a finished file from an earlier pass; verify it still holds every table before trusting it
          if (await schemaExists(deps.admin, want.schema))
            await verifyDump(done, await listTables(deps.admin, want.schema));
          return done;
        }
        if (!(await schemaExists(deps.admin, want.schema)))
          throw new Error(`schema ${want.schema} is gone and no snapshot of it exists; refusing to go on`);
        const tables = await listTables(deps.admin, want.schema);
        const result = await dumpSchema({
          adminDbUrl: deps.adminDbUrl,
          schema: want.schema,
          tables,
          dir: deps.snapshotDir,
        });
        log.info(
          { path: result.path, bytes: result.bytes, tables: result.tables },
          'tenant snapshot written',
        );
        return result.path;
      });
    }

    if (policy === 'Retain') {
      set({
        type: 'DatabaseReady',
        status: 'False',
        reason: 'Retained',
        message: `schema ${want.schema} kept; user ${want.user} locked with no privileges`,
      });
      summary = `retained: schema ${want.schema} kept, user ${want.user} locked`;
    } else {
      await step('drop', () => dropTenant(deps.admin, want));
      observed.database = null;
      set({
        type: 'DatabaseReady',
        status: 'False',
        reason: 'Dropped',
        message: `schema ${want.schema} and user ${want.user} dropped`,
      });
      summary = snapshot ? `snapshot at ${snapshot}; schema and user dropped` : 'schema and user dropped';
      await step('forget', () => deps.credentials.forget(tenant.id));
    }
  } catch (err) {
    if (!(err instanceof DeletionStepError)) throw err;
    failure = new DeletionStepError(err.step, redact(err.original, password));
    log.warn({ step: failure.step, err: failure.original }, 'deletion step failed');
  }

  set({ type: 'Ready', status: 'False', reason: 'Deleting', message: 'tenant is being deleted' });
  if (failure) {
    set({
      type: 'Deleting',
      status: 'False',
      reason: failedReason[failure.step],
      message: `${failure.step}: ${failure.message}`,
    });
  } else {
    set({ type: 'Deleting', status: 'True', reason: 'Deleted', message: `policy ${policy}: ${summary}` });
  }

  const status: TenantStatus = {
    phase: derivePhase(conditions, { schemaVersion: observed.schemaVersion, deleting: true }),
    observedGeneration: gen,
    conditions,
    database: observed.database,
    schemaVersion: observed.database ? observed.schemaVersion : null,
    runtimeVersion: null,
    endpoint: observed.endpoint,
    lastError: failure ? `${failure.step}: ${failure.message}` : null,
  };
  if (!isDeepStrictEqual(status, prev)) {
    await deps.status.write(tenant, status);
    if (status.phase !== prev.phase) log.info({ from: prev.phase, to: status.phase }, 'tenant phase changed');
  }
  if (failure) return { ok: false, status, error: failure.original, failedStep: failure.step };

  try {
    await step('finalize', () => deps.status.finalize(tenant));
  } catch (err) {
    const e = err instanceof DeletionStepError ? err : new DeletionStepError('finalize', err as Error);
    return { ok: false, status, error: e.original, failedStep: 'finalize' };
  }
  log.info({ policy }, 'tenant deleted');
  return { ok: true, status };
}

/** The condition a protected tenant shows while a deletion request waits on `spec.preventDeletion`. */
export const deletionPrevented = (
  policy: string,
): Omit<ConditionUpdate, 'observedGeneration'> & {
  type: ConditionType;
} => ({
  type: 'Deleting',
  status: 'False',
  reason: 'DeletionPrevented',
  message: `deletion was requested but spec.preventDeletion is true; set it to false to delete (policy ${policy})`,
});
