import { Forbidden, NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { Row } from '../../engine/data/data-access.js';
import { decodeCursor, toConnection, type Connection } from '../../engine/graphql/connection.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { UUID } from '../../engine/validation/fields.js';
import { activityRepository } from './activity-repository.js';
import {
  logActivityInputSchema,
  myTasksArgsSchema,
  recentActivityArgsSchema,
  timelineArgsSchema,
  updateActivityInputSchema,
  SUBJECT_TYPES,
  type Activity,
  type ActivityKind,
  type LogActivityInput,
} from './activity-schema.js';
import {
  mayAct,
  relatedSubjects,
  requireSubject,
  subjectKey,
  touchSubject,
  visibleSubjects,
  type SubjectRef,
} from './activity-subjects.js';

/*
 * Activity use cases. Rules: an activity is visible exactly when its subject is; logging, editing and
 * deleting one needs the update right on its subject (working the record); a task's assignee may also
 * complete it on a subject they can only read. Input is validated here (zod) before anything is written.
 */

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}

/** API field → column, for the fields an activity's kind may carry. */
const COLUMNS = {
  title: 'title',
  body: 'body',
  callOutcome: 'call_outcome',
  durationSeconds: 'duration_seconds',
  emailDirection: 'email_direction',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  dueAt: 'due_at',
  reminderAt: 'reminder_at',
  assigneeId: 'assignee_id',
} as const;
type Field = keyof typeof COLUMNS;

const FIELDS_OF: Record<ActivityKind, readonly Field[]> = {
  call: ['callOutcome', 'durationSeconds', 'body'],
  email: ['emailDirection', 'title', 'body'],
  meeting: ['title', 'startsAt', 'endsAt', 'body'],
  note: ['body'],
  task: ['title', 'dueAt', 'reminderAt', 'assigneeId', 'body'],
};

function columnsOf(input: LogActivityInput): Row {
  const row: Row = {};
  for (const field of FIELDS_OF[input.kind]) {
    const value = (input as Record<string, unknown>)[field];
    row[COLUMNS[field]] = value ?? null;
  }
  return row;
}

async function checkAssignee(rc: RequestContext, input: LogActivityInput, data = rc.data) {
  if (input.kind !== 'task' || !input.assigneeId) return;
  if (!(await activityRepository(data).isActiveMember(input.assigneeId)))
    throw new ValidationFailed({ 'input.assigneeId': ['No such active member'] });
}

export async function logActivity(rc: RequestContext, raw: unknown): Promise<Activity> {
  const input = parse(logActivityInputSchema, raw, ['input']);
  if (input.kind === 'task' && !input.assigneeId) input.assigneeId = rc.actor.memberId;
  return rc.data.transaction(async (data) => {
    const subject = await requireSubject(data, input, 'update');
    await checkAssignee(rc, input, data);
    const now = new Date();
    const activity = await activityRepository(data).insert({
      id: uuidv7(),
      kind: input.kind,
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      ...columnsOf(input),
      created_by: rc.actor.memberId,
      created_at: now,
      updated_at: now,
    });
    await touchSubject(data, input, subject, now);
    await recordEvent(data, originOf(rc), {
      type: 'activity.logged',
      entityType: 'Activity',
      entityId: activity.id,
      payload: { kind: activity.kind, subjectType: activity.subjectType, subjectId: activity.subjectId },
    });
    return activity;
  });
}

/** An activity the caller can see (its subject is visible), else NotFound. */
export async function getActivity(rc: RequestContext, id: string): Promise<Activity> {
  if (!UUID.test(id)) throw new NotFound('No such activity');
  const activity = await activityRepository(rc.data).findById(id);
  if (!activity) throw new NotFound('No such activity');
  await requireSubject(rc.data, activity).catch((e: unknown) => {
    throw e instanceof NotFound ? new NotFound('No such activity') : e;
  });
  return activity;
}

/** Loads an activity for a write, locked, with its subject visible; NotFound otherwise. */
async function loadForWrite(data: RequestContext['data'], id: string) {
  if (!UUID.test(id)) throw new NotFound('No such activity');
  const activity = await activityRepository(data).findById(id, true);
  if (!activity) throw new NotFound('No such activity');
  const subject = await requireSubject(data, activity).catch((e: unknown) => {
    throw e instanceof NotFound ? new NotFound('No such activity') : e;
  });
  return { activity, subject };
}

export async function updateActivity(rc: RequestContext, id: string, raw: unknown): Promise<Activity> {
  const patch = parse(updateActivityInputSchema, raw, ['input']);
  return rc.data.transaction(async (data) => {
    const { activity, subject } = await loadForWrite(data, id);
    if (!mayAct(data, activity, subject, 'update')) throw new Forbidden('You may not change this activity');
    // validate the activity as it would be stored, with the same rules as logging it
    const merged: Record<string, unknown> = {
      kind: activity.kind,
      subjectType: activity.subjectType,
      subjectId: activity.subjectId,
    };
    for (const field of FIELDS_OF[activity.kind]) merged[field] = activity[field] ?? undefined;
    for (const [field, value] of Object.entries(patch)) if (value !== undefined) merged[field] = value;
    const input = parse(logActivityInputSchema, merged, ['input']);
    if (input.kind === 'task' && !input.assigneeId) input.assigneeId = activity.assigneeId;
    await checkAssignee(rc, input, data);
    const columns = columnsOf(input);
    // a moved reminder goes out again at its new time (see task-reminders.ts)
    if (input.kind === 'task' && input.reminderAt?.getTime() !== activity.reminderAt?.getTime())
      columns['reminder_sent_at'] = null;
    const updated = await activityRepository(data).update(id, columns);
    await recordEvent(data, originOf(rc), {
      type: 'activity.updated',
      entityType: 'Activity',
      entityId: id,
      payload: { kind: updated.kind, subjectType: updated.subjectType, subjectId: updated.subjectId },
    });
    return updated;
  });
}

/** Marks a task done (or open again). The assignee may, and so may anyone with the update right on the subject. */
export async function completeTask(rc: RequestContext, id: string, done = true): Promise<Activity> {
  return rc.data.transaction(async (data) => {
    const { activity, subject } = await loadForWrite(data, id);
    if (activity.kind !== 'task') throw new ValidationFailed({ id: ['Only tasks can be completed'] });
    const mine = activity.assigneeId !== null && activity.assigneeId === rc.actor.memberId;
    if (!mine && !mayAct(data, activity, subject, 'update'))
      throw new Forbidden('You may not complete this task');
    if (done === (activity.completedAt !== null)) return activity;
    const now = new Date();
    const updated = await activityRepository(data).update(
      id,
      done
        ? { completed_at: now, completed_by: rc.actor.memberId }
        : { completed_at: null, completed_by: null },
    );
    if (done) await touchSubject(data, activity, subject, now);
    await recordEvent(data, originOf(rc), {
      type: done ? 'activity.completed' : 'activity.reopened',
      entityType: 'Activity',
      entityId: id,
      payload: { kind: 'task', subjectType: activity.subjectType, subjectId: activity.subjectId },
    });
    return updated;
  });
}

export async function deleteActivity(rc: RequestContext, id: string): Promise<string> {
  return rc.data.transaction(async (data) => {
    const { activity, subject } = await loadForWrite(data, id);
    if (!mayAct(data, activity, subject, 'update')) throw new Forbidden('You may not delete this activity');
    await activityRepository(data).delete(id);
    await recordEvent(data, originOf(rc), {
      type: 'activity.deleted',
      entityType: 'Activity',
      entityId: id,
      payload: { kind: activity.kind, subjectType: activity.subjectType, subjectId: activity.subjectId },
    });
    return id;
  });
}

/**
 * Whether `rc`'s caller could see a deleted activity, from its `activity.deleted` payload: an activity is
 * visible exactly when its subject is, and the subject outlives it.
 */
export async function sawDeletedActivity(
  rc: RequestContext,
  payload: Record<string, unknown>,
): Promise<boolean> {
  const { subjectType, subjectId } = payload;
  if (!(SUBJECT_TYPES as readonly unknown[]).includes(subjectType) || typeof subjectId !== 'string')
    return false;
  const ref = { subjectType: subjectType as SubjectRef['subjectType'], subjectId };
  return requireSubject(rc.data, ref).then(
    () => true,
    (e: unknown) => (e instanceof NotFound ? false : Promise.reject(e)),
  );
}

/**
 * One record's activities, newest first; with `includeRelated` (the default) also those on the records that
 * belong to it: an account's contacts and sites, an opportunity's proposals. A subject the caller cannot see
 * is NotFound, like the record.
 */
export async function timeline(rc: RequestContext, raw: unknown): Promise<Connection<Activity>> {
  const args = parse(timelineArgsSchema, raw, []);
  await requireSubject(rc.data, args);
  const ref = { subjectType: args.subjectType, subjectId: args.subjectId };
  const related = args.includeRelated === false ? [] : await relatedSubjects(rc.data, ref);
  const page = await activityRepository(rc.data).timeline([ref, ...related], {
    first: args.first,
    beforeId: args.after ? decodeCursor(args.after) : undefined,
    kinds: args.kinds ?? undefined,
  });
  return toConnection(page.activities, {
    hasNextPage: page.hasNextPage,
    after: args.after,
    totalCount: page.totalCount,
  });
}

/** How many candidate tasks myTasks reads to fill a page after dropping tasks on hidden subjects. */
const MY_TASKS_SCAN = 500;

/** The caller's open tasks in one due bucket, soonest due first; tasks on records they cannot see are left out. */
export async function myTasks(rc: RequestContext, raw: unknown, now = new Date()): Promise<Activity[]> {
  const args = parse(myTasksArgsSchema, raw, []);
  const me = rc.actor.memberId;
  if (!me) return [];
  const candidates = await activityRepository(rc.data).openTasks(me, args.due, now, MY_TASKS_SCAN);
  const visible = await visibleSubjects(rc.data, candidates);
  return candidates.filter((t) => visible.has(subjectKey(t))).slice(0, args.first ?? 50);
}

/** How many activities recentActivity reads per round, and at most in all, to fill a page with visible ones. */
const RECENT_CHUNK = 200;
const RECENT_SCAN = 1000;

/**
 * The newest activities (any kind, any author) on records the caller can see, newest first. Candidates are
 * read newest first in chunks and kept when their subject is visible (one scoped query per subject type per
 * chunk), until the page is full or RECENT_SCAN activities were read: a feed, so a rep in a busy workspace may
 * see fewer than asked rather than the query walking the whole table.
 */
export async function recentActivity(rc: RequestContext, raw: unknown): Promise<Activity[]> {
  const args = parse(recentActivityArgsSchema, raw, []);
  const first = args.first ?? 20;
  const repository = activityRepository(rc.data);
  const found: Activity[] = [];
  let before: string | undefined;
  for (let scanned = 0; scanned < RECENT_SCAN && found.length < first; scanned += RECENT_CHUNK) {
    const chunk = await repository.newest(RECENT_CHUNK, before);
    const visible = chunk.length ? await visibleSubjects(rc.data, chunk) : new Set<string>();
    found.push(...chunk.filter((a) => visible.has(subjectKey(a))));
    if (chunk.length < RECENT_CHUNK) break;
    before = chunk[chunk.length - 1]!.id;
  }
  return found.slice(0, first);
}
