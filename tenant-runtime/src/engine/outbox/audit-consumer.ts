import type { EventConsumer } from './event-consumer.js';

/**
 * Changes whose service already writes a detailed audit_log entry in its own transaction (access changes,
 * lead merges); logging their events again would double them.
 */
const ALREADY_AUDITED = /^(member|role|org_unit|membership)\.|^lead\.merged$/;

/**
 * Writes one audit_log entry per domain event not already audited: the changed fields before and after, as
 * the data-access layer noted them with the event (outbox.changes, read here so field values never ride the
 * job queue); the event's own payload when the change wrote no row. audit_log.event_id is unique and the
 * insert ignores a duplicate, so a redelivered event writes nothing twice.
 */
export const auditConsumer: EventConsumer = {
  name: 'audit-log',
  async handle(event, { db }) {
    if (ALREADY_AUDITED.test(event.type)) return;
    const row = (await db('outbox').where({ id: event.id }).first('changes')) as
      { changes: unknown } | undefined;
    const changes = parseChanges(row?.changes);
    await db('audit_log')
      .insert({
        event_id: event.id,
        actor_id: event.actorId,
        action: event.type,
        entity_type: event.entityType,
        entity_id: event.entityId,
        before_state: changes?.before ? JSON.stringify(changes.before) : null,
        after_state: JSON.stringify(changes ? changes.after : event.payload),
        request_id: event.requestId,
        created_at: new Date(event.occurredAt),
      })
      .onConflict('event_id')
      .ignore();
  },
};

/** JSON columns come back as text or parsed, depending on the server. */
function parseChanges(raw: unknown): { before: unknown; after: unknown } | null {
  if (raw === null || raw === undefined) return null;
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  return value && typeof value === 'object' ? (value as { before: unknown; after: unknown }) : null;
}
