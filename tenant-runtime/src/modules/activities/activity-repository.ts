import type { DataAccess, Row } from '../../engine/data/data-access.js';
import type { Activity, ActivityKind, SubjectType, TaskDue } from './activity-schema.js';
import type { SubjectRef } from './activity-subjects.js';
import { countOnDemand, type LazyCount } from '../../engine/graphql/connection.js';

/** Not row-scoped itself (visibility comes from the subject: activity-subjects.ts), so reached via unscoped(). */
export const ACTIVITIES = 'activities';

export function toActivity(r: Row): Activity {
  return {
    id: r['id'] as string,
    kind: r['kind'] as ActivityKind,
    subjectType: r['subject_type'] as SubjectType,
    subjectId: r['subject_id'] as string,
    title: (r['title'] as string | null) ?? null,
    body: (r['body'] as string | null) ?? null,
    callOutcome: (r['call_outcome'] as string | null) ?? null,
    durationSeconds: (r['duration_seconds'] as number | null) ?? null,
    emailDirection: (r['email_direction'] as string | null) ?? null,
    startsAt: (r['starts_at'] as Date | null) ?? null,
    endsAt: (r['ends_at'] as Date | null) ?? null,
    dueAt: (r['due_at'] as Date | null) ?? null,
    reminderAt: (r['reminder_at'] as Date | null) ?? null,
    assigneeId: (r['assignee_id'] as string | null) ?? null,
    completedAt: (r['completed_at'] as Date | null) ?? null,
    completedBy: (r['completed_by'] as string | null) ?? null,
    createdBy: (r['created_by'] as string | null) ?? null,
    createdAt: r['created_at'] as Date,
    updatedAt: r['updated_at'] as Date,
  };
}

/** The start of the next UTC day after `now`: where TODAY ends and UPCOMING begins. */
export const endOfUtcDay = (now: Date) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));

/**
 * Raw activity storage. It knows nothing of visibility: the service checks the subject through the
 * data-access layer before anything read here reaches a caller.
 */
export function activityRepository(data: DataAccess) {
  const table = () => data.unscoped(ACTIVITIES);
  return {
    async insert(row: Row): Promise<Activity> {
      await table().insert(row);
      return toActivity((await table().where({ id: row['id'] }).first()) as Row);
    },

    async findById(id: string, forUpdate = false): Promise<Activity | null> {
      const qb = table().where({ id });
      if (forUpdate) qb.forUpdate();
      const row = (await qb.first()) as Row | undefined;
      return row ? toActivity(row) : null;
    },

    async update(id: string, patch: Row): Promise<Activity> {
      await table()
        .where({ id })
        .update({ ...patch, updated_at: new Date() });
      return toActivity((await table().where({ id }).first()) as Row);
    },

    async delete(id: string): Promise<void> {
      await table().where({ id }).delete();
    },

    /** The activities on `refs` (a record and those belonging to it), newest first, keyset-paged on the id. */
    async timeline(
      refs: readonly SubjectRef[],
      q: { first: number; beforeId?: string | undefined; kinds?: readonly ActivityKind[] | undefined },
    ): Promise<{ activities: Activity[]; hasNextPage: boolean; totalCount: LazyCount }> {
      const where = (qb: ReturnType<typeof table>) => {
        if (refs.length === 1)
          qb.where({ subject_type: refs[0]!.subjectType, subject_id: refs[0]!.subjectId });
        else
          qb.whereIn(
            ['subject_type', 'subject_id'],
            refs.map((r) => [r.subjectType, r.subjectId]),
          );
        if (q.kinds?.length) qb.whereIn('kind', q.kinds);
        return qb;
      };
      const page = where(table());
      if (q.beforeId) page.where('id', '<', q.beforeId);
      const rows = (await page.orderBy('id', 'desc').limit(q.first + 1)) as Row[];
      return {
        activities: rows.slice(0, q.first).map(toActivity),
        hasNextPage: rows.length > q.first,
        totalCount: countOnDemand(async () => {
          const counted = (await where(table()).count({ n: '*' }).first()) as
            { n: number | string } | undefined;
          return Number(counted?.n ?? 0);
        }),
      };
    },

    /** Moves every activity of `from` onto `to` (a removed contact's or site's history stays with the account). */
    async reattach(from: SubjectRef, to: SubjectRef): Promise<number> {
      return table()
        .where({ subject_type: from.subjectType, subject_id: from.subjectId })
        .update({ subject_type: to.subjectType, subject_id: to.subjectId });
    },

    /** Open tasks assigned to `assigneeId` in one due bucket, soonest first (the caller filters visibility). */
    async openTasks(assigneeId: string, due: TaskDue, now: Date, limit: number): Promise<Activity[]> {
      const qb = table().where({ kind: 'task', assignee_id: assigneeId }).whereNull('completed_at');
      const endOfToday = endOfUtcDay(now);
      if (due === 'overdue') qb.where('due_at', '<', now);
      else if (due === 'today') qb.where('due_at', '>=', now).where('due_at', '<', endOfToday);
      else qb.where('due_at', '>=', endOfToday);
      return ((await qb.orderBy('due_at', 'asc').orderBy('id', 'asc').limit(limit)) as Row[]).map(toActivity);
    },

    /** The tenant's newest activities of any kind, newest first, from before `beforeId` (the caller filters visibility). */
    async newest(limit: number, beforeId?: string): Promise<Activity[]> {
      const qb = table();
      if (beforeId) qb.where('id', '<', beforeId);
      return ((await qb.orderBy('id', 'desc').limit(limit)) as Row[]).map(toActivity);
    },

    /** Whether `memberId` is an active member of the tenant (a task's assignee must be). */
    async isActiveMember(memberId: string): Promise<boolean> {
      return !!(await data.unscoped('members').where({ id: memberId, status: 'active' }).first('id'));
    },
  };
}
export type ActivityRepository = ReturnType<typeof activityRepository>;
