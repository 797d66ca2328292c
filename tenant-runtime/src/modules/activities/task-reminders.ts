import type { Logger } from '@solar/common';
import { escapeHtml, type MailTransport } from '@solar/common/mail';
import { Queue, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { EventConsumer } from '../../engine/outbox/event-consumer.js';
import { recordEvent } from '../../engine/outbox/record-event.js';
import { viewerContext, type ViewerContextDeps } from '../../engine/realtime/viewer-context.js';
import type { TenantConnection } from '../../engine/tenancy/tenant-directory.js';
import { subjectSummariesOf } from './activity-subjects.js';
import type { SubjectType } from './activity-schema.js';

/*
 * Task reminders. A task logged, changed or reopened with a reminder time gets a delayed job for that moment
 * (the outbox consumer below; job id = tenant, task, time and event, so a redelivered event schedules nothing
 * more). When it comes due the worker locks the task and checks it is still open, still reminds at that
 * time and has not reminded yet; then mails the assignee and, in the same transaction, marks it sent and
 * records `activity.reminder_due` (webhooks, realtime, audit see it). A mail that cannot be sent leaves the
 * task unmarked for the job's retry. A reminder moved later is a new job; the old one finds the time changed
 * and does nothing.
 */

export interface ReminderJob {
  tenantId: string;
  activityId: string;
  /** ISO time the job was scheduled for: it only fires if the task still reminds at exactly this time */
  remindAt: string;
}
export type ReminderQueue = Queue<ReminderJob>;

export interface ReminderQueueOptions {
  connection: ConnectionOptions;
  name: string;
  prefix: string;
}

export function createReminderQueue(options: ReminderQueueOptions): ReminderQueue {
  return new Queue<ReminderJob>(options.name, {
    connection: options.connection,
    prefix: options.prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 24 * 3600, count: 100_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  });
}

const SCHEDULING = new Set(['activity.logged', 'activity.updated', 'activity.reopened']);

interface TaskRow {
  id: string;
  kind: string;
  title: string | null;
  subject_type: SubjectType;
  subject_id: string;
  due_at: Date | null;
  reminder_at: Date | null;
  reminder_sent_at: Date | null;
  completed_at: Date | null;
  assignee_id: string | null;
}

const pending = (row: TaskRow | undefined): row is TaskRow & { reminder_at: Date } =>
  !!row && row.kind === 'task' && !row.completed_at && !row.reminder_sent_at && row.reminder_at !== null;

/** The outbox consumer that schedules a task's reminder. */
export function reminderScheduler(queue: ReminderQueue): EventConsumer {
  return {
    name: 'task-reminders',
    async handle(event, { db }) {
      if (event.entityType !== 'Activity' || !SCHEDULING.has(event.type)) return;
      const row = (await db('activities').where({ id: event.entityId }).first()) as TaskRow | undefined;
      if (!pending(row)) return;
      const at = row.reminder_at.getTime();
      await queue.add(
        'remind',
        { tenantId: event.tenantId, activityId: row.id, remindAt: row.reminder_at.toISOString() },
        // one job per event: a redelivered event adds nothing, while a reminder moved away and back gets a
        // new job even when the job of its first time has already run (the task row decides who fires)
        // (BullMQ refuses ":" in custom ids)
        { jobId: `${event.tenantId}.${row.id}.${at}.${event.id}`, delay: Math.max(0, at - Date.now()) },
      );
    },
  };
}

export interface ReminderWorkerOptions extends ReminderQueueOptions, ViewerContextDeps {
  mail: MailTransport;
  /** the web app's address for a tenant, `{slug}` for its slug; '' leaves the link out of the mail */
  tenantWebUrl: string;
  logger: Logger;
  concurrency?: number;
}

export function startReminderWorker(options: ReminderWorkerOptions): Worker<ReminderJob> {
  /** Mails the task's assignee, if they are active and have an address; the record named only if they see it. */
  const mailAssignee = async (tenant: TenantConnection, task: TaskRow, jobId: string | undefined) => {
    if (!task.assignee_id) return;
    const assignee = (await tenant
      .db('members')
      .where({ id: task.assignee_id, status: 'active' })
      .first('email', 'display_name')) as { email: string | null; display_name: string } | undefined;
    if (!assignee?.email) return;
    const rc = await viewerContext(options, {
      caller: {
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        userId: task.assignee_id,
        sessionId: `reminder:${task.id}`,
        scopes: [],
      },
      requestId: `reminder:${jobId}`,
      log: options.logger,
    });
    // the record is named and linked only if the assignee can see it
    const subject =
      (await subjectSummariesOf(rc.data, task.subject_type, [task.subject_id])).get(task.subject_id) ?? null;
    const on = subject?.name ?? null;
    const link =
      options.tenantWebUrl && subject
        ? `${options.tenantWebUrl.replaceAll('{slug}', tenant.slug)}/${subject.page}`
        : null;
    const title = task.title ?? 'A task';
    const when = task.due_at ? `due ${task.due_at.toUTCString()}` : 'no due date';
    await options.mail.send(
      {
        to: assignee.email,
        subject: `Reminder: ${title}${on ? ` — ${on}` : ''}`,
        text: [
          `Hi ${assignee.display_name},`,
          '',
          `Reminder: ${title}${on ? ` (${on})` : ''}, ${when}.`,
          ...(link ? ['', `Open it: ${link}`] : []),
        ].join('\n'),
        html: `<p>Hi ${escapeHtml(assignee.display_name)},</p>
<p>Reminder: <strong>${escapeHtml(title)}</strong>${on ? ` (${escapeHtml(on)})` : ''}, ${escapeHtml(when)}.</p>${
          link ? `\n<p><a href="${escapeHtml(link)}">Open it in Solar</a></p>` : ''
        }`,
      },
      'task_reminder',
    );
  };

  const process = async (job: Job<ReminderJob>) => {
    const { tenantId, activityId, remindAt } = job.data;
    const tenant = await options.directory.connect(tenantId);
    await tenant.db.transaction(async (trx) => {
      const row = (await trx('activities').where({ id: activityId }).forUpdate().first()) as
        TaskRow | undefined;
      if (!pending(row) || row.reminder_at.toISOString() !== remindAt) return;
      // the mail first, under the row's lock: if it cannot be sent, nothing is marked and the job retries;
      // a mail sent just before a failed commit goes again (at least once, never lost)
      await mailAssignee(tenant, row, job.id);
      await trx('activities').where({ id: activityId }).update({ reminder_sent_at: new Date() });
      await recordEvent(
        { unscoped: (table) => trx(table) },
        { actorId: null, requestId: `reminder:${job.id}` },
        {
          type: 'activity.reminder_due',
          entityType: 'Activity',
          entityId: activityId,
          payload: {
            assigneeId: row.assignee_id,
            subjectType: row.subject_type,
            subjectId: row.subject_id,
            dueAt: row.due_at?.toISOString() ?? null,
          },
        },
      );
    });
  };

  const worker = new Worker<ReminderJob>(options.name, process, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 10,
  });
  worker.on('error', (err) => options.logger.warn({ err }, 'reminder worker: queue connection error'));
  worker.on('failed', (job, err) =>
    options.logger.warn({ jobId: job?.id, err: err.message }, 'task reminder failed; retrying'),
  );
  return worker;
}
