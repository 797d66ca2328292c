import { randomBytes } from 'node:crypto';
import { createLogger } from '@solar/common';
import { startTestSmtp, type TestSmtp } from '@solar/common/testing/smtp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadWorkerConfig } from '../../config.js';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';
import { buildWorker, type BuiltWorker } from '../../worker/build-worker.js';
import { buildSalesOrg, PEOPLE, type SalesOrg, type Who } from '../leads/lead-test-org.js';
import { toStoredEvent } from '../../engine/outbox/outbox-relay.js';
import { reminderScheduler } from './task-reminders.js';

/*
 * Task reminders end to end with real parts: the runtime's GraphQL, the outbox worker (relay → consumer →
 * delayed BullMQ job → reminder worker), MariaDB, Redis and an SMTP server in this process.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(5).toString('hex');

let rt: TestRuntime;
let org: SalesOrg;
let worker: BuiltWorker;
let smtp: TestSmtp;

const emailOf = (who: Who) => `${who}@sunny-installs.test`;
const mailsTo = (who: Who) => smtp.mails.filter((m) => m.to === emailOf(who));
/** the mail's text part, quoted-printable soft breaks undone */
const textOf = (raw: string) => raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
/** the Subject header, unfolded and its RFC 2047 encoded words decoded */
function subjectOf(raw: string): string {
  const header = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1] ?? '';
  return header.replace(/\?=\s+=\?/g, '?==?').replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) =>
    Buffer.from(
      q
        .replace(/_/g, ' ')
        .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    ).toString('utf8'),
  );
}

beforeAll(async () => {
  smtp = await startTestSmtp();

  rt = await startTestRuntime();
  org = await buildSalesOrg(rt);
  for (const who of Object.keys(PEOPLE) as Who[])
    await org.tenant
      .db('members')
      .where({ id: PEOPLE[who] })
      .update({ email: emailOf(who) });
  const config = loadWorkerConfig({
    DATABASE_URL: rt.platform.url,
    REDIS_URL,
    PLATFORM_SECRET_KEY: rt.secretKey.toString('base64'),
    OUTBOX_QUEUE: `outbox-${run}`,
    WEBHOOK_QUEUE: `webhooks-${run}`,
    REMINDER_QUEUE: `reminders-${run}`,
    OUTBOX_QUEUE_PREFIX: `test:${run}:bull`,
    OUTBOX_POLL_MS: '100',
    TENANT_REGISTRY_TTL_MS: '0',
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Solar CRM <no-reply@solar.test>',
    TENANT_WEB_URL: 'https://{slug}.crm.test',
  });
  worker = buildWorker({
    config,
    logger: createLogger('reminders-test', 'silent'),
    platformDb: rt.platform.db,
  });
}, 60_000);

afterAll(async () => {
  await worker?.close();
  await rt?.close();
  await smtp?.close();
});

async function lead(who: Who, firstName: string): Promise<string> {
  const data = await org.ok(
    who,
    `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`,
    { input: { firstName, lastName: 'Okafor', source: 'REFERRAL' } },
  );
  return data.createLead.lead.id as string;
}

async function task(who: Who, leadId: string, title: string, remindInMs: number): Promise<string> {
  const data = await org.ok(
    who,
    `mutation($input: LogActivityInput!) { logActivity(input: $input) { id } }`,
    {
      input: {
        kind: 'TASK',
        subjectType: 'LEAD',
        subjectId: leadId,
        title,
        dueAt: new Date(Date.now() + 3_600_000).toISOString(),
        reminderAt: new Date(Date.now() + remindInMs).toISOString(),
      },
    },
  );
  return data.logActivity.id as string;
}

const reminderEvents = async (activityId: string) =>
  (await org.tenant
    .db('outbox')
    .where({ entity_id: activityId, type: 'activity.reminder_due' })) as unknown[];

describe('task reminders', () => {
  it('mail the assignee once, when due, naming the record and linking to it', async () => {
    const leadId = await lead('rep1', 'Chidi');
    const id = await task('rep1', leadId, 'Call back about the battery quote', 1_500);
    expect(mailsTo('rep1')).toHaveLength(0);

    await vi.waitFor(() => expect(mailsTo('rep1')).toHaveLength(1), { timeout: 15_000, interval: 100 });
    const text = textOf(mailsTo('rep1')[0]!.raw);
    expect(subjectOf(mailsTo('rep1')[0]!.raw)).toBe(
      'Reminder: Call back about the battery quote — Chidi Okafor',
    );
    expect(text).toContain('Reminder: Call back about the battery quote (Chidi Okafor), due');
    expect(text).toContain(`https://${org.tenant.slug}.crm.test/leads/${leadId}`);

    const row = await org.tenant.db('activities').where({ id }).first('reminder_sent_at');
    expect(row.reminder_sent_at).toBeInstanceOf(Date);
    expect(await reminderEvents(id)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(mailsTo('rep1')).toHaveLength(1);
  });

  it('wait for the mail server when it is down, and mail once it is back', async () => {
    const port = Number(new URL(smtp.url).port);
    await smtp.close();
    const id = await task('rep3', await lead('rep3', 'Kemi'), 'Chase the utility interconnect', 1_000);
    await new Promise((r) => setTimeout(r, 2_500));
    // not sent, so not marked: the job will try again
    expect(
      (await org.tenant.db('activities').where({ id }).first('reminder_sent_at')).reminder_sent_at,
    ).toBeNull();
    expect(await reminderEvents(id)).toHaveLength(0);

    smtp = await startTestSmtp(port, smtp.mails);
    await vi.waitFor(() => expect(mailsTo('rep3')).toHaveLength(1), { timeout: 20_000, interval: 200 });
    await vi.waitFor(async () => expect(await reminderEvents(id)).toHaveLength(1));
  }, 30_000);

  it('are scheduled once for a redelivered event', async () => {
    const id = await task('rep1', await lead('rep1', 'Ngozi'), 'Book the electrician', 3_600_000);
    const row = await org.tenant.db('outbox').where({ entity_id: id, type: 'activity.logged' }).first();
    const event = toStoredEvent(org.tenant.id, row);
    const scheduler = reminderScheduler(worker.reminderQueue);
    const ctx = { db: org.tenant.db, logger: createLogger('reminders-test', 'silent') };
    await scheduler.handle(event, ctx);
    await scheduler.handle(event, ctx);
    await vi.waitFor(async () => {
      const delayed = (await worker.reminderQueue.getDelayed()).filter((j) => j.data.activityId === id);
      expect(delayed).toHaveLength(1);
    });
  });

  it('follow a moved reminder to its new time, and stay quiet for a task done before it', async () => {
    const leadId = await lead('rep2', 'Amara');
    const moved = await task('rep2', leadId, 'Send the site survey photos', 1_500);
    const done = await task('rep2', leadId, 'Confirm the install date', 1_500);
    await org.ok(
      'rep2',
      `mutation($id: ID!, $input: UpdateActivityInput!) { updateActivity(id: $id, input: $input) { id } }`,
      { id: moved, input: { reminderAt: new Date(Date.now() + 4_000).toISOString() } },
    );
    await org.ok('rep2', `mutation($id: ID!) { completeTask(id: $id) { id } }`, { id: done });

    // the old time passes: nothing
    await new Promise((r) => setTimeout(r, 2_500));
    expect(mailsTo('rep2')).toHaveLength(0);
    // the new time: one mail, for the moved task only
    await vi.waitFor(() => expect(mailsTo('rep2')).toHaveLength(1), { timeout: 15_000, interval: 100 });
    expect(textOf(mailsTo('rep2')[0]!.raw)).toContain('Send the site survey photos');
    expect(await reminderEvents(moved)).toHaveLength(1);
    expect(await reminderEvents(done)).toHaveLength(0);
  });
});
