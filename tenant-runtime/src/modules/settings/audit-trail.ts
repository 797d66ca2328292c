import type { DataAccess } from '../../engine/data/data-access.js';

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
}

/**
 * Writes one audit_log entry for a change that is not an access change (settings, lead merges), inside the
 * caller's transaction. Unlike recordAccessChange it leaves the access version alone: nobody's permissions
 * changed, so no cache needs recomputing.
 */
export async function recordChange(
  data: DataAccess,
  who: { memberId: string | null; requestId: string | null },
  entry: AuditRecord,
): Promise<void> {
  await data.unscoped('audit_log').insert({
    actor_id: who.memberId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before_state: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_state: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: who.requestId,
  });
}
