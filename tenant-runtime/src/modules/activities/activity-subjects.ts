import { Forbidden, NotFound } from '@solar/common';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { rowVisible, type Action } from '../../engine/data/scope.js';
import type { ScopedTableSpec } from '../../engine/data/table.js';
import { accountsTable } from '../customers/customer-tables.js';
import { leadsTable } from '../leads/lead-repository.js';
import { opportunitiesTable } from '../opportunities/opportunity-tables.js';
import type { SubjectType } from './activity-schema.js';

/*
 * Activities have no row scope of their own: an activity is visible exactly when its subject is. Every
 * activity read or write first asks the data-access layer about the subject, so a hidden lead's activities
 * are as absent as the lead (NOT_FOUND, never FORBIDDEN, never in a list).
 */

export const SUBJECT_TABLES: Record<SubjectType, ScopedTableSpec> = {
  lead: leadsTable,
  account: accountsTable,
  opportunity: opportunitiesTable,
};

export interface SubjectRef {
  subjectType: SubjectType;
  subjectId: string;
}

/**
 * The subject, if the caller can see it; with `action`, a visible subject outside that action's scope is
 * Forbidden. Invisible subjects are NotFound.
 */
export async function requireSubject(
  data: DataAccess,
  ref: SubjectRef,
  action: Action = 'read',
): Promise<Row> {
  const table = SUBJECT_TABLES[ref.subjectType];
  const row = await data.findById(table, ref.subjectId);
  if (!row) throw new NotFound('No such record');
  if (action !== 'read' && !mayAct(data, ref, row, action))
    throw new Forbidden(`You may not ${action} this record`);
  return row;
}

/** Whether the caller's `action` scope reaches the (already visible) subject row. */
export function mayAct(data: DataAccess, ref: SubjectRef, row: Row, action: Action): boolean {
  const table = SUBJECT_TABLES[ref.subjectType];
  return rowVisible(row, table, data.actor.scope(table.resource, action), data.actor.memberId);
}

/** Of `refs`, the ones whose subject the caller can see: one scoped query per subject type. */
export async function visibleSubjects(data: DataAccess, refs: readonly SubjectRef[]): Promise<Set<string>> {
  const visible = new Set<string>();
  for (const [type, table] of Object.entries(SUBJECT_TABLES) as Array<[SubjectType, ScopedTableSpec]>) {
    const ids = [...new Set(refs.filter((r) => r.subjectType === type).map((r) => r.subjectId))];
    if (ids.length === 0) continue;
    const rows = (await data
      .select(table)
      .whereIn(`${table.name}.id`, ids)
      .select(`${table.name}.id`)) as Array<{ id: string }>;
    for (const r of rows) visible.add(`${type}:${r.id}`);
  }
  return visible;
}

export const subjectKey = (ref: SubjectRef) => `${ref.subjectType}:${ref.subjectId}`;

/**
 * Moves the subject's `last_activity_at` forward (never back). A denormalised timestamp, not an edit of the
 * record: it goes through the read-scoped builder, after the caller's right to act was checked.
 */
export async function touchSubject(data: DataAccess, ref: SubjectRef, at: Date): Promise<void> {
  const table = SUBJECT_TABLES[ref.subjectType];
  await data
    .select(table)
    .where(`${table.name}.id`, ref.subjectId)
    .where((qb) =>
      qb.whereNull(`${table.name}.last_activity_at`).orWhere(`${table.name}.last_activity_at`, '<', at),
    )
    .update({ last_activity_at: at });
}

/** `last_activity_at` of many subjects of one type, as far as the caller can see them. */
export async function lastActivityOf(
  data: DataAccess,
  type: SubjectType,
  ids: readonly string[],
): Promise<Map<string, Date | null>> {
  const table = SUBJECT_TABLES[type];
  const rows = (await data
    .select(table)
    .whereIn(`${table.name}.id`, ids)
    .select(`${table.name}.id`, `${table.name}.last_activity_at`)) as Array<{
    id: string;
    last_activity_at: Date | null;
  }>;
  return new Map(rows.map((r) => [r.id, r.last_activity_at]));
}

/** What a subject is called in lists: a lead's full name, an account's or an opportunity's name. */
const NAME_COLUMNS: Record<SubjectType, readonly string[]> = {
  lead: ['first_name', 'last_name'],
  account: ['name'],
  opportunity: ['name'],
};

/** Names of many subjects of one type, as far as the caller can see them (hidden ones are absent). */
export async function subjectNamesOf(
  data: DataAccess,
  type: SubjectType,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const table = SUBJECT_TABLES[type];
  const columns = NAME_COLUMNS[type];
  const rows = (await data
    .select(table)
    .whereIn(`${table.name}.id`, ids)
    .select(`${table.name}.id`, ...columns.map((c) => `${table.name}.${c}`))) as Row[];
  return new Map(
    rows.map((r) => [
      r['id'] as string,
      columns
        .map((c) => r[c] as string | null)
        .filter(Boolean)
        .join(' '),
    ]),
  );
}
