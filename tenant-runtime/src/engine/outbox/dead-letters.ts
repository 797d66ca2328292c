import type { Knex } from '@solar/common';

export interface DeadLetter {
  id: string;
  type: string;
  entityType: string;
  entityId: string;
  attempts: number;
  lastError: string | null;
  occurredAt: Date;
  deadAt: Date;
}

/** The tenant's events that exhausted their delivery attempts, newest first, with the reason. */
export async function listDeadLetters(db: Knex, limit = 100): Promise<DeadLetter[]> {
  const rows = (await db('outbox')
    .select('id', 'type', 'entity_type', 'entity_id', 'attempts', 'last_error', 'occurred_at', 'dead_at')
    .whereNotNull('dead_at')
    .orderBy('dead_at', 'desc')
    .limit(limit)) as Array<Record<string, unknown>>;
  return rows.map((r) => ({
    id: r.id as string,
    type: r.type as string,
    entityType: r.entity_type as string,
    entityId: r.entity_id as string,
    attempts: Number(r.attempts),
    lastError: (r.last_error as string | null) ?? null,
    occurredAt: r.occurred_at as Date,
    deadAt: r.dead_at as Date,
  }));
}
