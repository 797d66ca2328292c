import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Conflict,
  createDb,
  NotFound,
  randomSecret,
  ValidationFailed,
  type Knex,
  type Logger,
  type Migration,
} from '@solar/common';
import { reconcileTenant } from '../reconciler/reconcile.js';
import { latestVersion } from '../reconciler/tenant-migrations.js';
import type { FaultInjector, ReconcilerDeps } from '../reconciler/types.js';
import { tenantSpecSchema, type TenantSpecInput } from '../tenant-spec.js';
import { createLocalCredentialStore } from './credential-store.js';
import { createLocalRouteTable } from './route-table.js';
import { upsertSpec } from './spec-store.js';
import { createLocalStatusWriter } from './status-writer.js';
import { loadRecord, type TenantRecord } from './tenant-rows.js';

export type { TenantRecord };

export interface LocalDriverOptions {
  /** the platform database (tenant registry) */
  platformDb: Knex;
  /** server-level MySQL URL able to create databases and users (root locally); any database part is ignored */
  adminDbUrl: string;
  /** PLATFORM_SECRET_KEY, 32 bytes */
  secretKey: Buffer;
  /** the pooled runtime's base URL, published as every local tenant's routing entry */
  runtimeEndpoint: string;
  logger: Logger;
  /** tenant migrations to apply instead of tenant-runtime's (tests) */
  migrations?: readonly Migration[];
  /** crash simulation around reconcile steps (tests) */
  faults?: FaultInjector;
  /** retry delay after a failed reconcile: base * 2^(failures-1), capped */
  backoff?: { baseMs: number; maxMs: number };
  /** where Snapshot deletions write `t_<id>.sql` (default: <os tmpdir>/solar-crm-snapshots) */
  snapshotDir?: string;
  /** how long the old DB password keeps working after a rotation (default 60 s) */
  rotationGraceMs?: number;
}

export interface RunOptions {
  /** how often to look for tenants that need work */
  intervalMs?: number;
  /** how often to re-check every tenant even if it looks converged (drift repair) */
  resyncMs?: number;
}

export interface LocalDriver {
  /** Upserts the desired spec by slug, then reconciles once; the record shows the outcome (phase, lastError). */
  apply(spec: TenantSpecInput, opts?: { id?: string }): Promise<TenantRecord>;
  reconcile(tenantId: string): Promise<TenantRecord>;
  /**
   * Asks for the tenant to be deleted by its deletionPolicy, then reconciles once. Idempotent. A tenant with
   * preventDeletion stays as it is, with a Deleting=False/DeletionPrevented condition, until the spec
   * drops preventDeletion. The record comes back with deletedAt set once deletion finished.
   */
  delete(slug: string): Promise<TenantRecord>;
  /**
   * Rotates the tenant's DB password without downtime: stages a fresh CSPRNG password and reconciles once
   * (both passwords work until the grace period ends; a later pass retires the old one).
   */
  rotateCredentials(slug: string): Promise<TenantRecord>;
  get(slug: string): Promise<TenantRecord | null>;
  getById(tenantId: string): Promise<TenantRecord | null>;
  /** Starts the level-triggered loop (no-op if running). */
  run(opts?: RunOptions): void;
  /** Stops the loop and waits for the pass in flight. */
  stop(): Promise<void>;
  /** stop() and close the admin connection (the platformDb belongs to the caller). */
  close(): Promise<void>;
}

/**
 * The operator on one machine: the tenant registry is platform.tenants, credentials are sealed in it, and
 * every tenant is routed to the pooled runtime. Same reconciler as the Kubernetes driver, local plumbing.
 */
export function createLocalDriver(options: LocalDriverOptions): LocalDriver {
  const { platformDb } = options;
  const logger = options.logger.child({ driver: 'local' });
  const admin = createDb({
    url: options.adminDbUrl,
    database: null,
    pool: { min: 0, max: 4 },
    label: 'mysql-admin',
  });
  const credentials = createLocalCredentialStore(platformDb, options.secretKey);
  const deps: ReconcilerDeps = {
    admin,
    adminDbUrl: options.adminDbUrl,
    snapshotDir: options.snapshotDir ?? join(tmpdir(), 'solar-crm-snapshots'),
    rotationGraceMs: options.rotationGraceMs ?? 60_000,
    tenantDbUrl: options.adminDbUrl,
    credentials,
    status: createLocalStatusWriter(platformDb),
    routes: createLocalRouteTable(platformDb),
    // only the pooled runtime exists locally; dedicated tenants are served by it too
    endpointFor: () => options.runtimeEndpoint,
    logger,
    ...(options.migrations ? { migrations: options.migrations } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  };
  const backoff = options.backoff ?? { baseMs: 1000, maxMs: 5 * 60_000 };

  // One reconcile per tenant at a time within this process (apply and the loop may race).
  const inFlight = new Map<string, Promise<unknown>>();
  const exclusive = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const prev = inFlight.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    inFlight.set(id, next);
    const clear = () => {
      if (inFlight.get(id) === next) inFlight.delete(id);
    };
    next.then(clear, clear);
    return next;
  };

  const getById = (id: string) => loadRecord(platformDb, { id });

  // Loop state is scheduling only (when to retry or come back), never tenant state.
  const failures = new Map<string, { count: number; notBefore: number }>();
  const requeues = new Map<string, number>();

  const reconcile = (id: string) =>
    exclusive(id, async () => {
      const tenant = await getById(id);
      if (!tenant) throw new NotFound(`tenant ${id} not found`);
      if (tenant.deletedAt) return tenant; // gone: nothing left to converge
      const result = await reconcileTenant(deps, tenant);
      if (result.requeueAfterMs !== undefined) requeues.set(id, Date.now() + result.requeueAfterMs);
      else requeues.delete(id);
      const after = await getById(id);
      if (!after) throw new NotFound(`tenant ${id} disappeared while reconciling`);
      return after;
    });

  const bySlug = async (slug: string) => {
    const rec = await loadRecord(platformDb, { slug });
    if (!rec) throw new NotFound(`tenant ${slug} not found`);
    return rec;
  };
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let pass: Promise<void> | undefined;
  let lastResync = 0;

  async function candidates(resync: boolean): Promise<string[]> {
    const q = platformDb('tenants').whereNull('deleted_at').select('id');
    if (!resync) {
      const latest = latestVersion(options.migrations);
      q.where((w) =>
        w
          .whereRaw('generation <> observed_generation')
          .orWhereNotIn('phase', ['Ready', 'Suspended'])
          .orWhereNull('schema_version')
          .orWhereNot('schema_version', latest)
          .orWhereNotNull('deletion_requested_at')
          .orWhereNotNull('db_password_next_sealed'),
      );
    }
    const ids = ((await q) as Array<{ id: string }>).map((r) => r.id);
    // tenants that asked to be looked at again (e.g. a rotation grace period ending)
    const now = Date.now();
    for (const [id, at] of requeues) if (at <= now && !ids.includes(id)) ids.push(id);
    return ids;
  }

  async function runPass(resyncMs: number): Promise<void> {
    const now = Date.now();
    const resync = now - lastResync >= resyncMs;
    if (resync) lastResync = now;
    for (const id of await candidates(resync)) {
      if (!running) return;
      const f = failures.get(id);
      if (f && f.notBefore > Date.now()) continue;
      try {
        const rec = await reconcile(id);
        if (rec.status.lastError) throw new Error(rec.status.lastError);
        failures.delete(id);
      } catch (err) {
        const count = (f?.count ?? 0) + 1;
        const delay = Math.min(backoff.baseMs * 2 ** (count - 1), backoff.maxMs);
        failures.set(id, { count, notBefore: Date.now() + delay });
        logger.warn({ tenant: id, attempt: count, retryInMs: delay, err }, 'reconcile failed; backing off');
      }
    }
  }

  async function stop(): Promise<void> {
    running = false;
    if (timer) clearTimeout(timer);
    await pass;
  }

  return {
    async apply(input, opts) {
      const parsed = tenantSpecSchema.safeParse(input);
      if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['spec']);
      const { id, created, changed } = await upsertSpec(platformDb, parsed.data, opts?.id);
      if (created || changed)
        logger.info({ tenant: id, slug: parsed.data.slug, created }, 'tenant spec applied');
      return reconcile(id);
    },
    reconcile,
    async delete(slug) {
      const rec = await bySlug(slug);
      await platformDb('tenants')
        .where({ id: rec.id })
        .whereNull('deletion_requested_at')
        .update({ deletion_requested_at: platformDb.fn.now(3), updated_at: platformDb.fn.now(3) });
      logger.info({ tenant: rec.id, slug, policy: rec.spec.deletionPolicy }, 'tenant deletion requested');
      return reconcile(rec.id);
    },
    async rotateCredentials(slug) {
      const rec = await bySlug(slug);
      if (rec.deletionRequestedAt || rec.deletedAt)
        throw new Conflict(`tenant ${slug} is being deleted; its credentials are not rotated`);
      await credentials.stage(rec.id, randomSecret());
      logger.info({ tenant: rec.id, slug }, 'tenant DB password rotation staged');
      return reconcile(rec.id);
    },
    get: (slug) => loadRecord(platformDb, { slug }),
    getById,
    run({ intervalMs = 2000, resyncMs = 10 * 60_000 } = {}) {
      if (running) return;
      running = true;
      lastResync = 0; // the first pass sweeps every tenant: repairs drift from while we were down
      const tick = () => {
        pass = runPass(resyncMs)
          .catch((err: unknown) => logger.error({ err }, 'reconcile loop pass failed'))
          .finally(() => {
            if (running) timer = setTimeout(tick, intervalMs);
          });
      };
      tick();
    },
    stop,
    async close() {
      await stop();
      await Promise.allSettled(inFlight.values());
      await admin.destroy();
    },
  };
}
