import { z } from 'zod';

/** An event type (lead.created), every event of an entity (lead.*), or every event (*). */
export const EVENT_PATTERN = /^(\*|[a-z][a-z_]*\.(\*|[a-z][a-z_]*))$/;

const url = z.string().trim().min(1, 'is required').max(2048, 'at most 2048 characters');
const events = z
  .array(z.string().regex(EVENT_PATTERN, 'must be an event type such as lead.created, lead.* or *'))
  .min(1, 'name at least one event')
  .max(50, 'at most 50 event patterns');
const description = z.string().trim().max(500, 'at most 500 characters');

export const createWebhookSchema = z.object({ url, events, description: description.default('') });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.object({
  url: url.optional(),
  events: events.optional(),
  description: description.optional(),
  /** false pauses deliveries, true resumes them */
  active: z.boolean().optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export type WebhookStatus = 'ACTIVE' | 'PAUSED';

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string;
  status: WebhookStatus;
  pausedReason: string | null;
  /** the member whose view of the data the payloads show */
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'PENDING' | 'RETRYING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED' | 'PAUSED';

export interface WebhookDelivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  lastError: string | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

/** Does a webhook subscribed to `patterns` want `eventType`? */
export function wantsEvent(patterns: readonly string[], eventType: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === eventType || (p.endsWith('.*') && eventType.startsWith(p.slice(0, -1))),
  );
}
