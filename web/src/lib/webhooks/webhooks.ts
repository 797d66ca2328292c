import { z } from 'zod';

/** The records whose changes a webhook can hear about, as `<record>.*` patterns. */
export const RECORD_EVENTS = [
  { pattern: 'lead.*', label: 'Leads' },
  { pattern: 'account.*', label: 'Customers' },
  { pattern: 'contact.*', label: 'Contacts' },
  { pattern: 'site.*', label: 'Sites' },
  { pattern: 'opportunity.*', label: 'Opportunities' },
  { pattern: 'proposal.*', label: 'Proposals' },
  { pattern: 'activity.*', label: 'Activities and task reminders' },
] as const;

const WEBHOOK_FIELDS = /* GraphQL */ `
  id url events description status pausedReason createdBy createdAt
  deliveries(first: 10) { id eventType status attempts responseStatus lastError createdAt deliveredAt }
`;

export const WEBHOOKS_QUERY = /* GraphQL */ `
  query Webhooks { webhooks { ${WEBHOOK_FIELDS} } }
`;
export const CREATE_WEBHOOK = /* GraphQL */ `
  mutation CreateWebhook($input: CreateWebhookInput!) {
    createWebhook(input: $input) {
      secret
      webhook {
        id
        url
      }
    }
  }
`;
export const UPDATE_WEBHOOK = /* GraphQL */ `
  mutation UpdateWebhook($id: ID!, $input: UpdateWebhookInput!) {
    updateWebhook(id: $id, input: $input) {
      id
    }
  }
`;
export const ROTATE_WEBHOOK_SECRET = /* GraphQL */ `
  mutation RotateWebhookSecret($id: ID!) {
    rotateWebhookSecret(id: $id) {
      secret
      webhook {
        id
        url
      }
    }
  }
`;
export const DELETE_WEBHOOK = /* GraphQL */ `
  mutation DeleteWebhook($id: ID!) {
    deleteWebhook(id: $id) {
      id
    }
  }
`;

const deliverySchema = z.object({
  id: z.string(),
  eventType: z.string(),
  status: z.enum(['PENDING', 'RETRYING', 'SUCCEEDED', 'FAILED', 'SKIPPED', 'PAUSED']),
  attempts: z.number(),
  responseStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
export type Delivery = z.output<typeof deliverySchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  status: z.enum(['ACTIVE', 'PAUSED']),
  pausedReason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  deliveries: z.array(deliverySchema),
});
export type Webhook = z.output<typeof webhookSchema>;
export const webhooksDataSchema = z.object({ webhooks: z.array(webhookSchema) });

/** What the new-webhook form holds: whole records ticked, and any exact event types typed. */
export interface WebhookDraft {
  url: string;
  description: string;
  everything: boolean;
  records: string[];
  /** e.g. "lead.created opportunity.moved" */
  exact: string;
}

export function newWebhookDraft(): WebhookDraft {
  return { url: '', description: '', everything: false, records: [], exact: '' };
}

/** The event patterns a draft subscribes to: `*`, or the ticked records and the typed types, once each. */
export function eventsOf(draft: WebhookDraft): string[] {
  if (draft.everything) return ['*'];
  const typed = draft.exact
    .split(/[\s,]+/)
    .map((e) => e.trim().toLowerCase())
    .filter(Boolean);
  return [...new Set([...draft.records, ...typed])];
}

/** How a delivery went, in a few words. */
export function deliveryOutcome(d: Delivery): string {
  switch (d.status) {
    case 'SUCCEEDED':
      return `Delivered${d.responseStatus ? ` (${d.responseStatus})` : ''}`;
    case 'RETRYING':
      return `Retrying after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
    case 'FAILED':
      return `Failed after ${d.attempts} ${d.attempts === 1 ? 'attempt' : 'attempts'}`;
    case 'SKIPPED':
      return 'Skipped: not visible to the webhook’s owner';
    case 'PAUSED':
      return 'Held: webhook paused';
    case 'PENDING':
      return 'Queued';
  }
}
