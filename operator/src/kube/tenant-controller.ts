import { Conflict, ValidationFailed, type Knex, type Logger, type Migration } from '@solar/common';
import { setCondition } from '../reconciler/conditions.js';
import type { FaultInjector, ReconcileResult, ReconcilerDeps, TenantObject } from '../reconciler/types.js';
import { createLocalRouteTable } from '../local/route-table.js';
import {
  dedicatedChildren,
  dedicatedEndpoint,
  homeNamespace,
  migrationJob,
  namespaceFor,
  runtimeAvailable,
  suspendedToPool,
  type ChildContext,
} from './children.js';
import { createSecretCredentialStore } from './credential-store.js';
import { transitionEvents, type EventRecorder } from './events.js';
import { describeApiError, type KubeApi } from './kube-api.js';
import { jobMigrationGate, PENDING_RECHECK_MS } from './migration-gate.js';
import {
  credentialSecretName,
  FINALIZER,
  ownerRef,
  RUNTIME_NAME,
  tenantLabels,
  tenantNamespace,
} from './names.js';
import { syncRegistrySpec } from './registry.js';
import { createKubeStatusWriter } from './status-writer.js';
import { hasFinalizer, readStatus, toTenantObject, type TenantResource } from './tenant-resource.js';

/** The reconciler function; a benchmark may swap in one that skips the database (and says so). */
export type ReconcileFn = (deps: ReconcilerDeps, tenant: TenantObject) => Promise<ReconcileResult>;

export interface ControllerDeps {
  api: KubeApi;
  platformDb: Knex;
  admin: Knex;
  adminDbUrl: string;
  /** host:port tenant users log in to, also written into each tenant's Secret for its runtime and Jobs */
  tenantDbUrl: string;
  secretKey?: Buffer;
  namespace: string;
  pooledRuntimeEndpoint: string;
  images: { runtime: string };
  platformApiSelector: Record<string, string>;
  runtimeEnvSecret: string;
  migrationJobs: boolean;
  snapshotDir: string;
  rotationGraceMs: number;
  migrations?: readonly Migration[];
  faults?: FaultInjector;
  reconcile: ReconcileFn;
  events: EventRecorder;
  logger: Logger;
}

export interface PassOutcome {
  result: 'success' | 'error' | 'requeue';
  requeueAfterMs?: number;
  error?: Error;
}

/**
 * One level-triggered pass over one Tenant, from its live object: finalizer, registry row, children, the
 * shared reconciler (database, user, grants, migrations gated on the Job, route, status), then the children
 * that depend on what the database pass found, then Events for whatever changed. Holds no state between
 * passes: everything it needs is read back from the API server, the database and the registry.
 */
export async function reconcileTenantResource(
  deps: ControllerDeps,
  live: TenantResource,
): Promise<PassOutcome> {
  const { api } = deps;
  const name = live.metadata?.name ?? '';
  const log = deps.logger.child({ tenantName: name });
  let res = live;
  let tenant: TenantObject;
  try {
    tenant = toTenantObject(res);
  } catch (err) {
    // admission mirrors the zod schema, so this is an object written around it; retrying will not help
    if (err instanceof ValidationFailed) {
      await failStatus(deps, res, 'InvalidSpec', JSON.stringify(err.fields));
      return { result: 'error', error: err };
    }
    throw err;
  }
  const deleting = Boolean(tenant.deletionRequestedAt);
  if (deleting && !hasFinalizer(res)) return { result: 'success' }; // ours is done; Kubernetes finishes it
  if (!deleting && !hasFinalizer(res)) {
    res = await api.setTenantFinalizers(
      name,
      [...(res.metadata?.finalizers ?? []), FINALIZER],
      res.metadata?.resourceVersion ?? '',
    );
  }

  if (!deleting) {
    try {
      await syncRegistrySpec(deps.platformDb, tenant.spec, tenant.id);
    } catch (err) {
      if (err instanceof Conflict) {
        await failStatus(deps, res, 'SlugTaken', err.message);
        return { result: 'error', error: err };
      }
      throw err;
    }
  }

  const owner = ownerRef(res);
  const dedicated = tenant.spec.isolation === 'dedicated';
  const ctx: ChildContext = {
    name,
    tenantId: tenant.id,
    spec: tenant.spec,
    owner,
    operatorNamespace: deps.namespace,
    images: deps.images,
    platformApiSelector: deps.platformApiSelector,
    runtimeEnvSecret: deps.runtimeEnvSecret,
    resources: (res.spec?.runtime as { resources?: unknown } | undefined)?.resources,
    // the pooled runtime opens a tenant's credentials from the registry mirror, written only with the key
    poolServesSuspended: Boolean(deps.secretKey),
  };
  const secretRef = { name: credentialSecretName(name), namespace: homeNamespace(ctx) };
  const db = new URL(deps.tenantDbUrl);

  if (!deleting && dedicated) {
    await api.apply(namespaceFor(ctx));
    await copyRuntimeEnv(deps, ctx);
  }
  const routes = createLocalRouteTable(deps.platformDb);
  const endpoint = dedicated ? await dedicatedRoute(deps, ctx, tenant, routes) : deps.pooledRuntimeEndpoint;
  const job = migrationJob(ctx);
  const jobName = job.metadata?.name ?? '';

  const rdeps: ReconcilerDeps = {
    admin: deps.admin,
    adminDbUrl: deps.adminDbUrl,
    tenantDbUrl: deps.tenantDbUrl,
    snapshotDir: deps.snapshotDir,
    rotationGraceMs: deps.rotationGraceMs,
    credentials: createSecretCredentialStore(
      api,
      {
        ...secretRef,
        owner,
        tenantName: name,
        schema: `t_${tenant.id}`,
        dbHost: db.hostname,
        dbPort: Number(db.port || 3306),
      },
      deps.secretKey ? { db: deps.platformDb, secretKey: deps.secretKey } : undefined,
    ),
    status: createKubeStatusWriter(api, deps.platformDb, name, secretRef, deps.namespace),
    routes,
    endpointFor: () => endpoint,
    logger: log,
    ...(deps.migrationJobs
      ? {
          migrationGate: jobMigrationGate({
            name: jobName,
            ensure: () => api.apply(job),
            read: () => api.readJob(secretRef.namespace, jobName),
          }),
        }
      : {}),
    ...(deps.faults ? { faults: deps.faults } : {}),
    ...(deps.migrations ? { migrations: deps.migrations } : {}),
  };
  const result = await deps.reconcile(rdeps, tenant);
  const { status } = result;

  if (!deleting && dedicated) {
    // the runtime moves to a new version only once that version's migrations are in; it scales to zero only
    // after the reconcile above moved a suspended tenant's route to the pooled runtime
    const runningVersion = status.runtimeVersion ?? tenant.spec.runtime.version;
    const live = await api.readDeployment(tenantNamespace(ctx.spec.slug), RUNTIME_NAME);
    const liveReplicas = live?.spec?.replicas;
    const { present, absent } = dedicatedChildren({
      ...ctx,
      runningVersion,
      ...(liveReplicas !== undefined ? { liveReplicas } : {}),
    });
    for (const child of present)
      // The Deployment's replica count was chosen from `live`: apply it only onto that version, so a count
      // someone (the HPA, kubectl scale) set since is never overwritten with a stale one; a conflict (409)
      // fails this pass and the retry decides again from what is there.
      await api.apply(
        child.kind === 'Deployment' && live?.metadata?.resourceVersion
          ? { ...child, metadata: { ...child.metadata, resourceVersion: live.metadata.resourceVersion } }
          : child,
      );
    for (const child of absent) await api.remove(child);
  }

  for (const e of transitionEvents(tenant.status, status)) await deps.events.record(res, e);

  if (result.waiting)
    return { result: 'requeue', requeueAfterMs: result.requeueAfterMs ?? PENDING_RECHECK_MS };
  if (!result.ok) return { result: 'error', ...(result.error ? { error: result.error } : {}) };
  if (result.requeueAfterMs !== undefined)
    return { result: 'requeue', requeueAfterMs: result.requeueAfterMs };
  return { result: 'success' };
}

/**
 * Where a dedicated tenant's requests go. Suspended (and the pooled runtime can serve it): the pooled runtime,
 * which enforces read-only/blocked itself, so the dedicated runtime can scale to zero. Coming back from there:
 * the pool keeps the route until the dedicated Deployment is Available again (its watch brings the Tenant
 * back then). Otherwise, including a brand-new tenant: the dedicated Service.
 */
async function dedicatedRoute(
  deps: ControllerDeps,
  ctx: ChildContext,
  tenant: TenantObject,
  routes: ReturnType<typeof createLocalRouteTable>,
): Promise<string> {
  if (tenant.deletionRequestedAt) return dedicatedEndpoint(ctx.spec.slug); // deletion withdraws the route
  if (suspendedToPool(ctx)) return deps.pooledRuntimeEndpoint;
  if ((await routes.lookup(tenant.id)) !== deps.pooledRuntimeEndpoint)
    return dedicatedEndpoint(ctx.spec.slug);
  const dep = await deps.api.readDeployment(tenantNamespace(ctx.spec.slug), RUNTIME_NAME);
  return runtimeAvailable(dep) ? dedicatedEndpoint(ctx.spec.slug) : deps.pooledRuntimeEndpoint;
}

/** A failure before the reconciler could run: Ready=False with the reason, phase Failed, a Warning. */
async function failStatus(deps: ControllerDeps, res: TenantResource, reason: string, message: string) {
  const tenantStatus = readStatus(res.status);
  const conditions = setCondition(
    tenantStatus.conditions,
    { type: 'Ready', status: 'False', reason, message, observedGeneration: res.metadata?.generation ?? 0 },
    new Date(),
  );
  const lastError = `${reason}: ${message}`;
  if (tenantStatus.lastError === lastError && tenantStatus.phase === 'Failed') return;
  await deps.api.patchTenantStatus(res.metadata?.name ?? '', {
    phase: 'Failed',
    observedGeneration: res.metadata?.generation ?? 0,
    conditions,
    lastError,
  });
  await deps.events.record(res, { type: 'Warning', reason, message });
}

/**
 * A dedicated runtime's platform settings (platform DATABASE_URL, PLATFORM_SECRET_KEY, INTERNAL_TOKEN_PUBLIC_KEY)
 * live in one Secret in the operator's namespace; Pods cannot read across namespaces, so it is copied into the
 * tenant's. Missing source: the Deployment waits (CreateContainerConfigError names the Secret), nothing fails here.
 */
async function copyRuntimeEnv(deps: ControllerDeps, ctx: ChildContext): Promise<void> {
  const source = await deps.api.readSecret(deps.namespace, deps.runtimeEnvSecret);
  if (!source?.data) return;
  try {
    await deps.api.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: deps.runtimeEnvSecret,
        namespace: tenantNamespace(ctx.spec.slug),
        labels: tenantLabels(ctx.name),
        ownerReferences: [ctx.owner],
      },
      type: 'Opaque',
      data: source.data,
    });
  } catch (err) {
    deps.logger.warn({ err: describeApiError(err) }, 'could not copy the runtime settings Secret');
  }
}
