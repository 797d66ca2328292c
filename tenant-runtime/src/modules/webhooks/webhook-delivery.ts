import http from 'node:http';
import https from 'node:https';
import { AppError, open, type Logger } from '@solar/common';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { v7 as uuidv7 } from 'uuid';
import type { EventConsumer } from '../../engine/outbox/event-consumer.js';
import { toStoredEvent } from '../../engine/outbox/outbox-relay.js';
import type { RecordSource } from '../../engine/realtime/record-source.js';
import { viewerContext, type ViewerContextDeps } from '../../engine/realtime/viewer-context.js';
import { webhookRepository } from './webhook-repository.js';
import { wantsEvent } from './webhook-schema.js';
import { secretAad } from './webhook-service.js';
import { signatureHeader } from './webhook-signature.js';
import { guardedLookup, refuseTarget, type TargetPolicy } from './webhook-target.js';

/** A queued delivery: which tenant's delivery row to send. */
export interface DeliveryJob {
  tenantId: string;
  deliveryId: string;
}
export type WebhookQueue = Queue<DeliveryJob>;

/** The receiver must answer within this, or the attempt fails (and is retried). */
export const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookQueueOptions {
  connection: ConnectionOptions;
  name: string;
  prefix: string;
  /** HTTP attempts per delivery */
  attempts: number;
  /** first retry delay; doubles on each further attempt */
  backoffMs: number;
}

/** Deliveries, one job per delivery row (job id = delivery id, so enqueueing twice is one job). */
export function createWebhookQueue(options: WebhookQueueOptions): WebhookQueue {
  return new Queue<DeliveryJob>(options.name, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.backoffMs },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

/**
 * The outbox consumer: for a record event (one a RecordSource can re-read), one delivery per active webhook
 * that wants its type. The delivery row is unique on (webhook, event) and its id is the job id, so a
 * redelivered outbox event inserts nothing and enqueues nothing new.
 */
export function webhookConsumer(queue: WebhookQueue, sources: readonly RecordSource[]): EventConsumer {
  const recordTypes = new Set(sources.map((s) => s.typeName));
  return {
    name: 'webhooks',
    async handle(event, { db }) {
      if (!recordTypes.has(event.entityType)) return;
      const hooks = (await webhookRepository((t) => db(t)).active()).filter((w) =>
        wantsEvent(w.events, event.type),
      );
      if (!hooks.length) return;
      await db('webhook_deliveries')
        .insert(
          hooks.map((w) => ({ id: uuidv7(), webhook_id: w.id, event_id: event.id, event_type: event.type })),
        )
        .onConflict(['webhook_id', 'event_id'])
        .ignore();
      const pending = (await db('webhook_deliveries')
        .where({ event_id: event.id, status: 'pending' })
        .whereIn(
          'webhook_id',
          hooks.map((w) => w.id),
        )
        .select('id')) as Array<{ id: string }>;
      await queue.addBulk(
        pending.map((d) => ({
          name: event.type,
          data: { tenantId: event.tenantId, deliveryId: d.id },
          opts: { jobId: d.id },
        })),
      );
    },
  };
}

export interface WebhookWorkerOptions extends ViewerContextDeps {
  connection: ConnectionOptions;
  name: string;
  prefix: string;
  concurrency?: number;
  sources: readonly RecordSource[];
  /** the platform key that unseals webhook secrets */
  secretKey: Buffer;
  policy: TargetPolicy;
  logger: Logger;
  timeoutMs?: number;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 1000);

/**
 * Sends deliveries. Each payload is built by re-reading the record through its module's service AS THE
 * WEBHOOK'S CREATOR (their permissions as they are now): a record they cannot see is not sent (SKIPPED),
 * and a disabled creator pauses the webhook. A `.deleted` event sends `data: {type, id, record: null,
 * deleted: true}` to creators who could see the record just before it went (RecordSource.sawRemoved). Every HTTP attempt is recorded; a non-2xx answer, a timeout
 * or a refused target fails the attempt and BullMQ retries with exponential backoff until the last one.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): Worker<DeliveryJob> {
  const lookup = guardedLookup(options.policy);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;

  const process = async (job: Job<DeliveryJob>) => {
    const { tenantId, deliveryId } = job.data;
    const tenant = await options.directory.connect(tenantId);
    const repo = webhookRepository((t) => tenant.db(t));
    const delivery = await repo.findDelivery(deliveryId);
    if (!delivery || delivery.status === 'SUCCEEDED' || delivery.status === 'SKIPPED') return;
    const webhook = await repo.find(delivery.webhookId);
    if (!webhook) return;
    const log = options.logger.child({ tenant: tenantId, webhookId: webhook.id, deliveryId });
    if (webhook.status === 'PAUSED') {
      await repo.setDelivery(deliveryId, { status: 'paused', lastError: webhook.pausedReason });
      return;
    }

    let rc;
    try {
      rc = await viewerContext(options, {
        caller: {
          tenantId,
          tenantSlug: tenant.slug,
          userId: webhook.createdBy,
          sessionId: `webhook:${webhook.id}`,
          scopes: [],
        },
        requestId: `webhook-delivery:${deliveryId}`,
        log,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== 'MEMBER_DISABLED') throw err;
      await repo.pause(webhook.id, 'its owner was disabled');
      await repo.setDelivery(deliveryId, { status: 'paused', lastError: 'the webhook owner was disabled' });
      log.info('webhook paused: its owner was disabled');
      return;
    }

    const row = (await tenant.db('outbox').where({ id: delivery.eventId }).first()) as
      Parameters<typeof toStoredEvent>[1] | undefined;
    const event = row && toStoredEvent(tenantId, row);
    const source = event && options.sources.find((s) => s.typeName === event.entityType);
    // a deletion carries no record (it cannot be re-read): it goes to owners who could see the record
    const deleted = !!event?.type.endsWith('.deleted');
    let record: object | null = null;
    let sendable = false;
    if (event && source && deleted) sendable = (await source.sawRemoved?.(rc, event.payload)) ?? false;
    else if (event && source) sendable = (record = await source.load(rc, event.entityId)) !== null;
    if (!event || !source || !sendable) {
      await repo.setDelivery(deliveryId, {
        status: 'skipped',
        lastError: deleted
          ? 'the webhook owner could not see the deleted record'
          : 'the record is not visible to the webhook owner, or no longer exists',
      });
      return;
    }

    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt,
      data: { type: source.typeName, id: event.entityId, record, ...(deleted ? { deleted: true } : {}) },
    });
    const sealed = (await repo.sealedSecret(webhook.id))!;
    const secret = open(sealed, options.secretKey, secretAad(tenantId, webhook.id));
    const attempt = job.attemptsMade + 1;
    const started = Date.now();
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      const refused = await refuseTarget(webhook.url, options.policy);
      if (refused) throw new Error(`target refused: ${refused}`);
      responseStatus = await postJson(webhook.url, body, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'SolarCRM-Webhooks/1',
          'solar-event-id': event.id,
          'solar-event-type': event.type,
          'solar-signature': signatureHeader(secret, body, Math.floor(Date.now() / 1000)),
        },
        timeoutMs,
        lookup,
      });
      if (responseStatus < 200 || responseStatus > 299) error = `receiver answered ${responseStatus}`;
    } catch (err) {
      error = message(err);
    }
    await repo.recordAttempt({
      deliveryId,
      attempt,
      responseStatus,
      error,
      durationMs: Date.now() - started,
    });
    if (!error) {
      await repo.setDelivery(
        deliveryId,
        { status: 'succeeded', responseStatus, lastError: null },
        { attempted: true, delivered: true },
      );
      return;
    }
    const last = attempt >= (job.opts.attempts ?? 1);
    await repo.setDelivery(
      deliveryId,
      { status: last ? 'failed' : 'retrying', responseStatus, lastError: error },
      { attempted: true },
    );
    log.warn({ attempt, responseStatus, error, final: last }, 'webhook delivery attempt failed');
    throw new Error(error);
  };

  const worker = new Worker<DeliveryJob>(options.name, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
  });
  worker.on('error', (err) => options.logger.warn({ err }, 'webhook worker: queue connection error'));
  return worker;
}

/** POSTs `body` and resolves with the status; never follows redirects; the whole exchange within `timeoutMs`. */
function postJson(
  url: string,
  body: string,
  options: { headers: Record<string, string>; timeoutMs: number; lookup: ReturnType<typeof guardedLookup> },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: { ...options.headers, 'content-length': Buffer.byteLength(body) },
        lookup: options.lookup,
        signal: AbortSignal.timeout(options.timeoutMs),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    request.on('error', (err) =>
      reject(err.name === 'AbortError' ? new Error(`no answer within ${options.timeoutMs} ms`) : err),
    );
    request.end(body);
  });
}
