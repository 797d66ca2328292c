import { z } from 'zod';

/**
 * A domain event as services record it. The payload is the entity reference plus a few minimal fields
 * (ids, statuses, stage names) — never a copy of the row: events leave the tenant boundary later
 * (webhooks, sync), and whatever reads them there must re-read the entity through the data-access layer
 * under the receiver's row scope instead of trusting a snapshot taken under the writer's.
 */
export const domainEventSchema = z.object({
  /** `<entity>.<past-tense verb>`: lead.created, lead.assigned, opportunity.moved, role.granted … */
  type: z.string().regex(/^[a-z][a-z_]*\.[a-z][a-z_]*$/, { message: 'must look like lead.created' }),
  /** GraphQL type name (Lead, Opportunity, Member…); doubles as the edge cache tag type */
  entityType: z.string().regex(/^[A-Z][A-Za-z0-9]{0,31}$/),
  entityId: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  payload: z.record(z.string(), z.unknown()).default({}),
});
export type DomainEventInput = z.input<typeof domainEventSchema>;

/** An event as stored in the outbox and carried by a queue job. */
export const storedEventSchema = domainEventSchema.extend({
  id: z.string(),
  tenantId: z.string().regex(/^[a-z0-9]{12}$/),
  actorId: z.string().nullable(),
  requestId: z.string().nullable(),
  occurredAt: z.string(),
});
export type StoredEvent = z.infer<typeof storedEventSchema>;
