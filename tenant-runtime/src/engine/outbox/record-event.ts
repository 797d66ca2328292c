import { v7 as uuidv7 } from 'uuid';
import type { DataAccess } from '../data/data-access.js';
import { domainEventSchema, type DomainEventInput } from './domain-event.js';

export interface EventOrigin {
  /** the acting member; null for the system */
  actorId: string | null;
  requestId: string | null;
}

/**
 * Writes a domain event to the tenant's outbox. Call it with the DataAccess of the write's own transaction:
 * the event commits with the change or not at all, so a rolled-back write leaves no event behind.
 * Returns the event id. (Only the outbox is touched: system jobs pass `{ unscoped: (t) => trx(t) }`.)
 */
export async function recordEvent(
  data: Pick<DataAccess, 'unscoped'> & Partial<Pick<DataAccess, 'takeChanges'>>,
  origin: EventOrigin,
  event: DomainEventInput,
): Promise<string> {
  const e = domainEventSchema.parse(event);
  const id = uuidv7();
  // what the transaction's writes did to the record: the audit log's before and after
  const changes = data.takeChanges?.(e.entityId);
  await data.unscoped('outbox').insert({
    id,
    type: e.type,
    entity_type: e.entityType,
    entity_id: e.entityId,
    payload: JSON.stringify(e.payload),
    changes: changes ? JSON.stringify(changes) : null,
    actor_id: origin.actorId,
    request_id: origin.requestId,
  });
  return id;
}

/** The origin of a request's events: its member and request id. */
export const originOf = (rc: { actor: { memberId: string | null }; requestId: string }): EventOrigin => ({
  actorId: rc.actor.memberId,
  requestId: rc.requestId,
});
