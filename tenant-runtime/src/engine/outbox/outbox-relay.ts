import type { Knex, Logger } from '@solar/common';
import type { StoredEvent } from './domain-event.js';
import type { OutboxQueue } from './outbox-queue.js';

interface OutboxRow {
  id: string;
  type: string;
  entity_type: string;
  entity_id: string;
  payload: unknown;
  actor_id: string | null;
  request_id: string | null;
  occurred_at: Date;
}

export const toStoredEvent = (tenantId: string, r: OutboxRow): StoredEvent => ({
  id: r.id,
  tenantId,
  type: r.type,
  entityType: r.entity_type,
  entityId: r.entity_id,
  // mysql2 returns MariaDB JSON columns (LONGTEXT) as text
  payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Record<string, unknown>,
  actorId: r.actor_id,
  requestId: r.request_id,
  occurredAt: r.occurred_at.toISOString(),
});

/**
 * Enqueues one tenant's undispatched events, oldest first, at most `batchSize`; returns how many. A row is
 * marked dispatched only after the queue accepted its job, so a crash in between re-enqueues it next time —
 * harmless, since the job id is the event id and the queue keeps one job per id.
 */
export async function relayTenantOutbox(
  db: Knex,
  tenantId: string,
  queue: OutboxQueue,
  batchSize = 500,
): Promise<number> {
  const rows = (await db('outbox')
    .select('id', 'type', 'entity_type', 'entity_id', 'payload', 'actor_id', 'request_id', 'occurred_at')
    .whereNull('dispatched_at')
    .orderBy('id')
    .limit(batchSize)) as OutboxRow[];
  if (!rows.length) return 0;
  await queue.addBulk(
    rows.map((r) => ({ name: r.type, data: toStoredEvent(tenantId, r), opts: { jobId: r.id } })),
  );
  await db('outbox')
    .whereIn(
      'id',
      rows.map((r) => r.id),
    )
    .whereNull('dispatched_at')
    .update({ dispatched_at: db.raw('CURRENT_TIMESTAMP(3)') });
  return rows.length;
}

export interface OutboxRelayDeps {
  /** the tenants whose outboxes to drain (pooled: every Ready tenant in the registry) */
  listTenants(): Promise<string[]>;
  /** the tenant's own pool, as the tenant's own DB user */
  connect(tenantId: string): Promise<Knex>;
  queue: OutboxQueue;
  logger: Logger;
  intervalMs: number;
  batchSize?: number;
}

export interface OutboxRelay {
  /** One pass over every tenant; a tenant that fails is logged and skipped. Returns events enqueued. */
  runOnce(): Promise<number>;
  start(): void;
  /** Stops polling and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Polls every tenant's outbox every `intervalMs` and enqueues what it finds. */
export function createOutboxRelay(deps: OutboxRelayDeps): OutboxRelay {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;

  const pass = async (): Promise<number> => {
    let total = 0;
    for (const tenantId of await deps.listTenants()) {
      if (stopped) break;
      try {
        const db = await deps.connect(tenantId);
        // drain a backlog batch by batch, so one busy tenant still yields to the next pass's tenants
        let n: number;
        do {
          n = await relayTenantOutbox(db, tenantId, deps.queue, deps.batchSize);
          total += n;
        } while (n === (deps.batchSize ?? 500) && !stopped);
      } catch (err) {
        deps.logger.warn({ tenant: tenantId, err }, 'outbox relay: tenant skipped this pass');
      }
    }
    return total;
  };

  const runOnce = () => {
    running ??= pass().finally(() => (running = undefined));
    return running;
  };

  const tick = async () => {
    try {
      const n = await runOnce();
      if (n) deps.logger.debug({ events: n }, 'outbox relay: events enqueued');
    } catch (err) {
      deps.logger.warn({ err }, 'outbox relay pass failed');
    }
    if (!stopped) timer = setTimeout(() => void tick(), deps.intervalMs);
  };

  return {
    runOnce,
    start() {
      stopped = false;
      void tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => 0);
    },
  };
}

/** Ready tenants from the platform registry (platform.tenants); dedicated mode passes `only`. */
export function readyTenants(platformDb: Knex, only?: string): () => Promise<string[]> {
  return async () => {
    const q = platformDb('tenants').select('id').where({ phase: 'Ready' }).whereNull('deleted_at');
    if (only) q.where({ id: only });
    return ((await q.orderBy('id')) as Array<{ id: string }>).map((r) => r.id);
  };
}
