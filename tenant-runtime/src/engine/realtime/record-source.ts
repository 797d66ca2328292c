import type { RequestContext } from '../context.js';

/**
 * How realtime and webhooks re-read one kind of record: through the module's own service, so under the
 * reader's row scope (hidden and missing look the same: null). Modules list theirs in modules/index.ts.
 */
export interface RecordSource {
  /** the RecordType enum value, e.g. LEAD */
  recordType: string;
  /** the GraphQL object type, which is also the domain events' entityType, e.g. Lead */
  typeName: string;
  /** the record as `rc`'s actor sees it; null when it does not exist or is outside their scope */
  load(rc: RequestContext, id: string): Promise<object | null>;
  /**
   * For a `.deleted` event, whose record cannot be re-read: whether `rc`'s actor could see it just before it
   * went, judged from the event's payload under their scope as it is now. Absent: deletions are not reported.
   */
  sawRemoved?(rc: RequestContext, payload: Record<string, unknown>): boolean | Promise<boolean>;
}

/** The domain event verbs that bring a record into existence; `.deleted` removes it. */
const CREATING = /\.(created|logged|imported)$/;

export type ChangeKind = 'CREATED' | 'UPDATED' | 'REMOVED';

/** What an event did to its record, for a reader who can (`visible`) or cannot see it now. */
export function changeKindOf(eventType: string | undefined, visible: boolean): ChangeKind {
  if (!visible || eventType?.endsWith('.deleted')) return 'REMOVED';
  return eventType && CREATING.test(eventType) ? 'CREATED' : 'UPDATED';
}

/** The newest domain event about a record (outbox index entity_type, entity_id), if any. */
export async function latestEvent(
  rc: RequestContext,
  typeName: string,
  id: string,
): Promise<{ id: string; type: string; actorId: string | null; occurredAt: Date } | undefined> {
  const row = (await rc.data
    .unscoped('outbox')
    .where({ entity_type: typeName, entity_id: id })
    .orderBy('id', 'desc')
    .first('id', 'type', 'actor_id', 'occurred_at')) as
    { id: string; type: string; actor_id: string | null; occurred_at: Date } | undefined;
  return row && { id: row.id, type: row.type, actorId: row.actor_id, occurredAt: row.occurred_at };
}
