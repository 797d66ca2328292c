import type { EventConsumer } from './event-consumer.js';

/**
 * Changes whose service already writes a detailed audit_log entry in its own transaction (access changes,
 * lead merges); logging their events again would double them.
 */
const ALREADY_AUDITED = /^(member|role|org_unit|membership)\.|^lead\.merged$/;

/**
 * Writes one audit_log entry per domain event not already audited. audit_log.event_id is unique and the
 * insert ignores a duplicate, so a redelivered event writes nothing twice.
 */
export const auditConsumer: EventConsumer = {
  name: 'audit-log',
  async handle(event, { db }) {
    if (ALREADY_AUDITED.test(event.type)) return;
    await db('audit_log')
      .insert({
        event_id: event.id,
        actor_id: event.actorId,
        action: event.type,
        entity_type: event.entityType,
        entity_id: event.entityId,
        before_state: null,
        after_state: JSON.stringify(event.payload),
        request_id: event.requestId,
        created_at: new Date(event.occurredAt),
      })
      .onConflict('event_id')
      .ignore();
  },
};
