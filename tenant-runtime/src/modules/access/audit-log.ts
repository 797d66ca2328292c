import type { Knex } from '@solar/common';

export interface AuditEntry {
  actorId: string | null;
  /** e.g. role.granted, membership.added, org_unit.moved */
  action: string;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
  requestId: string | null;
}

/**
 * Records an access change inside the transaction that makes it, and bumps the access version so every
 * cached permission set (in this process and any other) is recomputed on its member's next request.
 */
export async function recordAccessChange(
  trx: (table: string) => Knex.QueryBuilder,
  entry: AuditEntry,
): Promise<void> {
  await trx('audit_log').insert({
    actor_id: entry.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    before_state: entry.before === undefined ? null : JSON.stringify(entry.before),
    after_state: entry.after === undefined ? null : JSON.stringify(entry.after),
    request_id: entry.requestId,
  });
  await trx('access_state').where({ id: 1 }).increment('version', 1);
}
