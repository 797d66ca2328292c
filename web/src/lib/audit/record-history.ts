import { z } from 'zod';

/** A record's changes, newest first, as the audit log keeps them (administrators only). */
export const RECORD_HISTORY_QUERY = /* GraphQL */ `
  query RecordHistory($type: String!, $id: String!) {
    accessAuditLog(first: 30, entityType: $type, entityId: $id) {
      id
      actorId
      action
      before
      after
      createdAt
    }
  }
`;

export const recordHistorySchema = z.object({
  accessAuditLog: z.array(
    z.object({
      id: z.string(),
      actorId: z.string().nullable(),
      action: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});
export type HistoryEntry = z.output<typeof recordHistorySchema>['accessAuditLog'][number];

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface HistoryLine {
  id: string;
  at: string;
  actorId: string | null;
  /** "created", "updated", "assigned"… (the event's verb) */
  verb: string;
  /** what changed, field by field; empty for a creation (see `created`) */
  changes: FieldChange[];
}

/** Internal bookkeeping columns, not worth a line in a person's history of the record. */
const HIDDEN = /^(id|created_at|created_by|updated_at|score_explanation|merged_into_id)$/;

const parse = (json: string | null): Record<string, unknown> | null => {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
};

/** "postal_code" → "Postal code", "owner_id" → "Owner". */
export function fieldLabel(column: string): string {
  const words = column.replace(/_id$/, '').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Audit entries as lines a person reads: who, when, what verb, and each changed field from → to, with member
 * ids shown as names (`name`) and empty values as a dash.
 */
export function historyLines(entries: readonly HistoryEntry[], name: (id: string) => string): HistoryLine[] {
  const shown = (column: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'string' && /^(owner_id|assignee_id)$/.test(column)) return name(v);
    if (typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v)) return new Date(v).toLocaleString('en-US');
    return typeof v === 'object' ? JSON.stringify(v) : String(v);
  };
  return entries.map((e) => {
    const before = parse(e.before);
    const after = parse(e.after);
    // a creation shows what it was created with; a change what it changed
    const fields = [...new Set([...Object.keys(before ?? {}), ...(before ? Object.keys(after ?? {}) : [])])];
    return {
      id: e.id,
      at: e.createdAt,
      actorId: e.actorId,
      verb: e.action.split('.').at(-1)!.replaceAll('_', ' '),
      changes: fields
        .filter((f) => !HIDDEN.test(f))
        .map((f) => ({ field: fieldLabel(f), from: shown(f, before?.[f]), to: shown(f, after?.[f]) })),
    };
  });
}
