import { Forbidden, NotFound, type Knex } from '@solar/common';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { rowVisible, type Action } from '../../engine/data/scope.js';
import type { ScopedTableSpec } from '../../engine/data/table.js';
import { accountsTable, contactsTable, sitesTable } from '../customers/customer-tables.js';
import { leadsTable } from '../leads/lead-repository.js';
import { opportunitiesTable } from '../opportunities/opportunity-tables.js';
import { PROPOSALS_TABLE } from '../proposals/proposal-tables.js';
import type { SubjectType } from './activity-schema.js';

/*
 * Activities have no row scope of their own: an activity is visible exactly when its subject is. Every
 * activity read or write first asks the data-access layer about the subject, so a hidden lead's activities
 * are as absent as the lead (NOT_FOUND, never FORBIDDEN, never in a list).
 *
 * A subject is any record a rep works: a lead, an account, one of its contacts or sites, an opportunity or
 * one of its proposal versions. Each is guarded by a row-scoped table — its own row (contacts and sites carry
 * their account's owner and unit), or for a proposal its opportunity's row — and rolls up to the record whose
 * `last_activity_at` lists show: a call with a contact is activity on the customer.
 */

/** The records that keep a `last_activity_at` (and show it in lists). */
export type RollUpType = 'lead' | 'account' | 'opportunity';

interface SubjectSpec {
  /** The row-scoped table whose row decides who sees the subject and who may act on it. */
  guard: ScopedTableSpec;
  /** When the subject is not that row itself (a proposal): its table and the column naming the guard row. */
  through?: { table: string; column: string };
  /** Columns of the subject's own table that name it and place it (read as `subject_<column>`). */
  columns: readonly string[];
  /** What the subject is called in lists and mails. */
  name(s: Row): string;
  /** Where its activity rolls up to: that record's type and the subject column holding its id. */
  rollUp: { type: RollUpType; column: string };
  /** The web app page showing the subject, relative to the tenant's web origin. */
  page(s: Row): string;
}

const fullName = (s: Row) =>
  [s['subject_first_name'], s['subject_last_name']].filter((x) => typeof x === 'string' && x).join(' ');

export const SUBJECTS: Record<SubjectType, SubjectSpec> = {
  lead: {
    guard: leadsTable,
    columns: ['id', 'first_name', 'last_name'],
    name: fullName,
    rollUp: { type: 'lead', column: 'id' },
    page: (s) => `leads/${String(s['subject_id'])}`,
  },
  account: {
    guard: accountsTable,
    columns: ['id', 'name'],
    name: (s) => String(s['subject_name']),
    rollUp: { type: 'account', column: 'id' },
    page: (s) => `customers/${String(s['subject_id'])}`,
  },
  contact: {
    guard: contactsTable,
    columns: ['id', 'first_name', 'last_name', 'account_id'],
    name: fullName,
    rollUp: { type: 'account', column: 'account_id' },
    page: (s) => `customers/${String(s['subject_account_id'])}`,
  },
  site: {
    guard: sitesTable,
    columns: ['id', 'label', 'street', 'city', 'account_id'],
    name: (s) =>
      [s['subject_label'], [s['subject_street'], s['subject_city']].filter(Boolean).join(', ')]
        .filter(Boolean)
        .join(' · '),
    rollUp: { type: 'account', column: 'account_id' },
    page: (s) => `customers/${String(s['subject_account_id'])}`,
  },
  opportunity: {
    guard: opportunitiesTable,
    columns: ['id', 'name'],
    name: (s) => String(s['subject_name']),
    rollUp: { type: 'opportunity', column: 'id' },
    page: (s) => `opportunities/${String(s['subject_id'])}`,
  },
  proposal: {
    guard: opportunitiesTable,
    through: { table: PROPOSALS_TABLE, column: 'opportunity_id' },
    columns: ['id', 'version', 'opportunity_id'],
    name: (s) => `${String(s['guard_name'])} · proposal v${String(s['subject_version'])}`,
    rollUp: { type: 'opportunity', column: 'opportunity_id' },
    page: (s) => `proposals/${String(s['subject_id'])}`,
  },
};

const ROLL_UP_TABLES: Record<RollUpType, ScopedTableSpec> = {
  lead: leadsTable,
  account: accountsTable,
  opportunity: opportunitiesTable,
};

export interface SubjectRef {
  subjectType: SubjectType;
  subjectId: string;
}

/** A visible subject: the guard row (owner, unit) and the subject's own columns as `subject_<column>`. */
export interface LoadedSubject {
  guard: Row;
  subject: Row;
}

/**
 * The caller-visible subjects of one type among `ids`: a single query through the data-access layer's
 * scoped builder on the guard table (joined to the subject's own table when that is another one).
 */
async function loadSubjects(
  data: DataAccess,
  type: SubjectType,
  ids: readonly string[],
): Promise<Map<string, LoadedSubject>> {
  const spec = SUBJECTS[type];
  const g = spec.guard.name;
  const s = spec.through ? 's' : g;
  const qb: Knex.QueryBuilder = data.select(spec.guard);
  if (spec.through) qb.join(`${spec.through.table} as s`, `s.${spec.through.column}`, `${g}.id`);
  qb.whereIn(`${s}.id`, ids).select(
    `${g}.*`,
    ...spec.columns.map((c) => `${s}.${c} as subject_${c}`),
    ...(spec.through ? [`${g}.name as guard_name`] : []),
  );
  const rows = (await qb) as Row[];
  const found = new Map<string, LoadedSubject>();
  for (const row of rows) {
    const subject = Object.fromEntries(Object.entries(row).filter(([k]) => k.startsWith('subject_')));
    if (spec.through) subject['guard_name'] = row['guard_name'];
    found.set(String(row['subject_id']), { guard: row, subject });
  }
  return found;
}

/**
 * The subject, if the caller can see it; with `action`, a visible subject outside that action's scope is
 * Forbidden. Invisible subjects are NotFound.
 */
export async function requireSubject(
  data: DataAccess,
  ref: SubjectRef,
  action: Action = 'read',
): Promise<LoadedSubject> {
  const loaded = (await loadSubjects(data, ref.subjectType, [ref.subjectId])).get(ref.subjectId);
  if (!loaded) throw new NotFound('No such record');
  if (action !== 'read' && !mayAct(data, ref, loaded, action))
    throw new Forbidden(`You may not ${action} this record`);
  return loaded;
}

/** Whether the caller's `action` scope reaches the (already visible) subject. */
export function mayAct(data: DataAccess, ref: SubjectRef, loaded: LoadedSubject, action: Action): boolean {
  const guard = SUBJECTS[ref.subjectType].guard;
  return rowVisible(loaded.guard, guard, data.actor.scope(guard.resource, action), data.actor.memberId);
}

/** Of `refs`, the ones whose subject the caller can see: one scoped query per subject type. */
export async function visibleSubjects(data: DataAccess, refs: readonly SubjectRef[]): Promise<Set<string>> {
  const visible = new Set<string>();
  for (const type of Object.keys(SUBJECTS) as SubjectType[]) {
    const ids = [...new Set(refs.filter((r) => r.subjectType === type).map((r) => r.subjectId))];
    if (ids.length === 0) continue;
    for (const id of (await loadSubjects(data, type, ids)).keys()) visible.add(`${type}:${id}`);
  }
  return visible;
}

export const subjectKey = (ref: SubjectRef) => `${ref.subjectType}:${ref.subjectId}`;

/**
 * Moves `last_activity_at` of the record the subject rolls up to forward (never back). A denormalised
 * timestamp, not an edit of the record: it goes through the read-scoped builder, after the caller's right to
 * act on the subject was checked.
 */
export async function touchSubject(
  data: DataAccess,
  ref: SubjectRef,
  loaded: LoadedSubject,
  at: Date,
): Promise<void> {
  const spec = SUBJECTS[ref.subjectType];
  const id = loaded.subject[`subject_${spec.rollUp.column}`];
  if (typeof id !== 'string') return;
  const table = ROLL_UP_TABLES[spec.rollUp.type];
  await data
    .select(table)
    .where(`${table.name}.id`, id)
    .where((qb) =>
      qb.whereNull(`${table.name}.last_activity_at`).orWhere(`${table.name}.last_activity_at`, '<', at),
    )
    .update({ last_activity_at: at });
}

/** `last_activity_at` of many records of one type, as far as the caller can see them. */
export async function lastActivityOf(
  data: DataAccess,
  type: RollUpType,
  ids: readonly string[],
): Promise<Map<string, Date | null>> {
  const table = ROLL_UP_TABLES[type];
  const rows = (await data
    .select(table)
    .whereIn(`${table.name}.id`, ids)
    .select(`${table.name}.id`, `${table.name}.last_activity_at`)) as Array<{
    id: string;
    last_activity_at: Date | null;
  }>;
  return new Map(rows.map((r) => [r.id, r.last_activity_at]));
}

/** What a subject is called, the record it belongs to (if it is part of one) and the web page that shows it. */
export interface SubjectSummary {
  name: string;
  /** a contact's or site's account, a proposal's opportunity; null for a record of its own */
  parentId: string | null;
  page: string;
}

/** Names and pages of many subjects of one type, as far as the caller can see them (hidden ones are absent). */
export async function subjectSummariesOf(
  data: DataAccess,
  type: SubjectType,
  ids: readonly string[],
): Promise<Map<string, SubjectSummary>> {
  const spec = SUBJECTS[type];
  const found = await loadSubjects(data, type, ids);
  const parent = spec.rollUp.column === 'id' ? null : `subject_${spec.rollUp.column}`;
  return new Map(
    [...found].map(([id, l]) => [
      id,
      {
        name: spec.name(l.subject),
        parentId: parent ? String(l.subject[parent]) : null,
        page: spec.page(l.subject),
      },
    ]),
  );
}

/** How many related records at most a timeline gathers (an account's contacts and sites; a deal's proposals). */
const MAX_RELATED = 500;

/**
 * The records whose activities show in `ref`'s timeline besides its own: an account's contacts and sites, an
 * opportunity's proposal versions — only those the caller can see (the same scope hides them with the parent).
 */
export async function relatedSubjects(data: DataAccess, ref: SubjectRef): Promise<SubjectRef[]> {
  const ids = async (table: ScopedTableSpec, column: string) =>
    (
      (await data
        .select(table)
        .where(`${table.name}.${column}`, ref.subjectId)
        .orderBy(`${table.name}.id`)
        .limit(MAX_RELATED)
        .select(`${table.name}.id`)) as Array<{ id: string }>
    ).map((r) => r.id);
  if (ref.subjectType === 'account') {
    const [contacts, sites] = await Promise.all([
      ids(contactsTable, 'account_id'),
      ids(sitesTable, 'account_id'),
    ]);
    return [
      ...contacts.map((subjectId) => ({ subjectType: 'contact' as const, subjectId })),
      ...sites.map((subjectId) => ({ subjectType: 'site' as const, subjectId })),
    ];
  }
  if (ref.subjectType === 'opportunity') {
    // proposals are reached through their (already visible) opportunity
    const rows = (await data
      .select(opportunitiesTable)
      .join(`${PROPOSALS_TABLE} as p`, 'p.opportunity_id', `${opportunitiesTable.name}.id`)
      .where(`${opportunitiesTable.name}.id`, ref.subjectId)
      .limit(MAX_RELATED)
      .select('p.id')) as Array<{ id: string }>;
    return rows.map((r) => ({ subjectType: 'proposal' as const, subjectId: r.id }));
  }
  return [];
}
