import type { Knex } from '@solar/common';
import type { DeliveryStatus, Webhook, WebhookDelivery, WebhookStatus } from './webhook-schema.js';

/** The webhook tables (not row-scoped: only administrators manage them). `q` names a table. */
export type TableQuery = (table: string) => Knex.QueryBuilder;

type Row = Record<string, unknown>;

const json = (v: unknown) => (typeof v === 'string' ? (JSON.parse(v) as unknown) : v);

export const toWebhook = (r: Row): Webhook => ({
  id: r['id'] as string,
  url: r['url'] as string,
  events: json(r['events']) as string[],
  description: r['description'] as string,
  status: (r['status'] as string).toUpperCase() as WebhookStatus,
  pausedReason: (r['paused_reason'] as string | null) ?? null,
  createdBy: r['created_by'] as string,
  createdAt: r['created_at'] as Date,
  updatedAt: r['updated_at'] as Date,
});

export const toDelivery = (r: Row): WebhookDelivery => ({
  id: r['id'] as string,
  webhookId: r['webhook_id'] as string,
  eventId: r['event_id'] as string,
  eventType: r['event_type'] as string,
  status: (r['status'] as string).toUpperCase() as DeliveryStatus,
  attempts: Number(r['attempts']),
  responseStatus: r['response_status'] === null ? null : Number(r['response_status']),
  lastError: (r['last_error'] as string | null) ?? null,
  createdAt: r['created_at'] as Date,
  updatedAt: r['updated_at'] as Date,
  deliveredAt: (r['delivered_at'] as Date | null) ?? null,
});

const WEBHOOK_COLUMNS = [
  'id',
  'url',
  'events',
  'description',
  'status',
  'paused_reason',
  'created_by',
  'created_at',
  'updated_at',
];

export function webhookRepository(q: TableQuery) {
  return {
    async list(): Promise<Webhook[]> {
      return ((await q('webhooks').select(WEBHOOK_COLUMNS).orderBy('id')) as Row[]).map(toWebhook);
    },
    async find(id: string): Promise<Webhook | undefined> {
      const row = (await q('webhooks').where({ id }).first(WEBHOOK_COLUMNS)) as Row | undefined;
      return row && toWebhook(row);
    },
    /** the sealed secret, for signing; never leaves the runtime */
    async sealedSecret(id: string): Promise<string | undefined> {
      const row = (await q('webhooks').where({ id }).first('secret_sealed')) as
        { secret_sealed: string } | undefined;
      return row?.secret_sealed;
    },
    async active(): Promise<Webhook[]> {
      return ((await q('webhooks').select(WEBHOOK_COLUMNS).where({ status: 'active' })) as Row[]).map(
        toWebhook,
      );
    },
    async recentDeliveries(webhookId: string, first: number): Promise<WebhookDelivery[]> {
      const rows = (await q('webhook_deliveries')
        .where({ webhook_id: webhookId })
        .orderBy('id', 'desc')
        .limit(first)) as Row[];
      return rows.map(toDelivery);
    },
    async findDelivery(id: string): Promise<WebhookDelivery | undefined> {
      const row = (await q('webhook_deliveries').where({ id }).first()) as Row | undefined;
      return row && toDelivery(row);
    },
    async setDelivery(
      id: string,
      patch: { status: Lowercase<DeliveryStatus>; responseStatus?: number | null; lastError?: string | null },
      options: { attempted?: boolean; delivered?: boolean } = {},
    ): Promise<void> {
      const now = new Date();
      if (options.attempted) await q('webhook_deliveries').where({ id }).increment('attempts', 1);
      await q('webhook_deliveries')
        .where({ id })
        .update({
          status: patch.status,
          ...(patch.responseStatus !== undefined ? { response_status: patch.responseStatus } : {}),
          ...(patch.lastError !== undefined ? { last_error: patch.lastError } : {}),
          ...(options.delivered ? { delivered_at: now } : {}),
          updated_at: now,
        });
    },
    async recordAttempt(attempt: {
      deliveryId: string;
      attempt: number;
      responseStatus: number | null;
      error: string | null;
      durationMs: number;
    }): Promise<void> {
      await q('webhook_attempts').insert({
        delivery_id: attempt.deliveryId,
        attempt: attempt.attempt,
        response_status: attempt.responseStatus,
        error: attempt.error,
        duration_ms: attempt.durationMs,
      });
    },
    async pause(id: string, reason: string): Promise<void> {
      await q('webhooks').where({ id, status: 'active' }).update({
        status: 'paused',
        paused_reason: reason,
        updated_at: new Date(),
      });
    },
  };
}
