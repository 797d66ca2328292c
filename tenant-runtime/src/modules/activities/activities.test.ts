import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg, type Who } from '../customers/sales-org.fixture.js';

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id ownerId } } }`;
const LOG = `mutation($input: LogActivityInput!) { logActivity(input: $input) {
  id kind subjectType subjectId title body callOutcome durationSeconds emailDirection startsAt endsAt
  dueAt reminderAt reminderDue assigneeId done createdBy } }`;
const TIMELINE = `query($t: ActivitySubjectType!, $id: ID!, $first: Int!, $after: String, $kinds: [ActivityKind!]) {
  timeline(subjectType: $t, subjectId: $id, first: $first, after: $after, kinds: $kinds) {
    totalCount edges { node { id kind title } } pageInfo { hasNextPage endCursor } } }`;
const ACTIVITY = `query($id: ID!) { activity(id: $id) { id kind } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateActivityInput!) { updateActivity(id: $id, input: $input) { id title body dueAt } }`;
const COMPLETE = `mutation($id: ID!, $done: Boolean!) { completeTask(id: $id, done: $done) { id done completedBy } }`;
const DELETE = `mutation($id: ID!) { deleteActivity(id: $id) }`;
const MY_TASKS = `query($due: TaskDue!) { myTasks(due: $due) { id title dueAt } }`;
const LEAD = `query($id: ID!) { lead(id: $id) { id lastActivityAt } }`;

let org: SalesOrg;
const lead = {} as Record<'rep1' | 'rep2', string>;
const hour = 3_600_000;

const newLead = async (who: Who, name: string) =>
  (await org.ok(who, CREATE_LEAD, { input: { firstName: name, lastName: 'Lead', source: 'WEB_FORM' } }))
    .createLead.lead.id as string;
const log = async (who: Who, input: Record<string, unknown>) =>
  (await org.ok(who, LOG, { input })).logActivity;
const onLead = (id: string) => ({ subjectType: 'LEAD', subjectId: id });
const titles = async (who: Who, id: string) =>
  (await org.ok(who, TIMELINE, { t: 'LEAD', id, first: 50 })).timeline.edges.map(
    (e: { node: { title: string } }) => e.node.title,
  );
const taskIds = async (who: Who, due: string) =>
  (await org.ok(who, MY_TASKS, { due })).myTasks.map((t: { id: string }) => t.id);

beforeAll(async () => {
  org = await startSalesOrg();
  lead.rep1 = await newLead('rep1', 'Ana');
  lead.rep2 = await newLead('rep2', 'Ben');
});
afterAll(async () => {
  await org?.close();
});

describe('logging activities on a record', () => {
  it('records calls, emails, meetings, notes and tasks; the timeline is newest first and pages', async () => {
    const before = (await org.ok('rep1', LEAD, { id: lead.rep1 })).lead.lastActivityAt;
    expect(before).toBeNull();
    const start = new Date(Date.now() + 24 * hour);
    const call = await log('rep1', {
      kind: 'CALL',
      ...onLead(lead.rep1),
      callOutcome: 'LEFT_VOICEMAIL',
      durationSeconds: 45,
    });
    expect(call).toMatchObject({
      kind: 'CALL',
      callOutcome: 'LEFT_VOICEMAIL',
      durationSeconds: 45,
      done: false,
    });
    expect(call.createdBy).toBe(U.rep1);
    await log('rep1', { kind: 'EMAIL', ...onLead(lead.rep1), title: 'Quote', emailDirection: 'OUTBOUND' });
    await log('rep1', {
      kind: 'MEETING',
      ...onLead(lead.rep1),
      title: 'Site visit',
      startsAt: start.toISOString(),
      endsAt: new Date(start.getTime() + hour).toISOString(),
    });
    const note = await log('rep1', { kind: 'NOTE', ...onLead(lead.rep1), body: 'Wants a battery' });
    expect(note.body).toBe('Wants a battery');
    const task = await log('rep1', {
      kind: 'TASK',
      ...onLead(lead.rep1),
      title: 'Send proposal',
      dueAt: start.toISOString(),
    });
    expect(task).toMatchObject({ assigneeId: U.rep1, done: false, reminderDue: false });

    expect(await titles('rep1', lead.rep1)).toEqual(['Send proposal', null, 'Site visit', 'Quote', null]);
    const p1 = (await org.ok('rep1', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 2 })).timeline;
    expect(p1.totalCount).toBe(5);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = (
      await org.ok('rep1', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 10, after: p1.pageInfo.endCursor })
    ).timeline;
    expect(p2.edges.map((e: { node: { kind: string } }) => e.node.kind)).toEqual([
      'MEETING',
      'EMAIL',
      'CALL',
    ]);
    const calls = (await org.ok('rep1', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 10, kinds: ['CALL'] }))
      .timeline;
    expect(calls.totalCount).toBe(1);
  });

  it('keeps lastActivityAt on the lead, readable in the leads list', async () => {
    const at = (await org.ok('rep1', LEAD, { id: lead.rep1 })).lead.lastActivityAt;
    expect(Date.now() - Date.parse(at)).toBeLessThan(60_000);
    const list = (await org.ok('rep1', `{ leads(first: 10) { edges { node { id lastActivityAt } } } }`))
      .leads;
    const row = list.edges.find((e: { node: { id: string } }) => e.node.id === lead.rep1);
    expect(row.node.lastActivityAt).toBe(at);
  });

  it('refuses input that does not fit the kind, and writes nothing', async () => {
    const bad = [
      { kind: 'NOTE', ...onLead(lead.rep1) },
      { kind: 'NOTE', ...onLead(lead.rep1), body: 'x', durationSeconds: 10 },
      { kind: 'CALL', ...onLead(lead.rep1) },
      { kind: 'EMAIL', ...onLead(lead.rep1), title: 'No direction' },
      {
        kind: 'MEETING',
        ...onLead(lead.rep1),
        title: 'Backwards',
        startsAt: '2026-12-01T10:00:00Z',
        endsAt: '2026-12-01T09:00:00Z',
      },
      {
        kind: 'TASK',
        ...onLead(lead.rep1),
        title: 'Late reminder',
        dueAt: '2026-12-01T10:00:00Z',
        reminderAt: '2026-12-02T10:00:00Z',
      },
      { kind: 'TASK', ...onLead(lead.rep1), title: 'No due date' },
      {
        kind: 'TASK',
        ...onLead(lead.rep1),
        title: 'Ghost',
        dueAt: '2026-12-01T10:00:00Z',
        assigneeId: U.rep1.replace(/.$/, 'f'),
      },
    ];
    for (const input of bad)
      expect(await org.code('rep1', LOG, { input }), JSON.stringify(input)).toBe('VALIDATION_FAILED');
    expect((await org.ok('rep1', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 1 })).timeline.totalCount).toBe(
      5,
    );
  });

  it('edits and deletes activities, re-checking the kind rules', async () => {
    const note = await log('rep1', { kind: 'NOTE', ...onLead(lead.rep1), body: 'typo' });
    expect(
      (await org.ok('rep1', UPDATE, { id: note.id, input: { body: 'fixed' } })).updateActivity.body,
    ).toBe('fixed');
    expect(await org.code('rep1', UPDATE, { id: note.id, input: { body: null } })).toBe('VALIDATION_FAILED');
    expect(await org.code('rep1', UPDATE, { id: note.id, input: { dueAt: '2026-12-01T10:00:00Z' } })).toBe(
      'VALIDATION_FAILED',
    );
    expect((await org.ok('rep1', DELETE, { id: note.id })).deleteActivity).toBe(note.id);
    expect(await org.code('rep1', ACTIVITY, { id: note.id })).toBe('NOT_FOUND');
  });

  it('writes activity.logged and activity.completed to the outbox with the change', async () => {
    const task = await log('rep1', {
      kind: 'TASK',
      ...onLead(lead.rep1),
      title: 'Evented',
      dueAt: new Date(Date.now() + 48 * hour).toISOString(),
    });
    await org.ok('rep1', COMPLETE, { id: task.id, done: true });
    const events = await org.tenant.db('outbox').where({ entity_id: task.id }).orderBy('id').select('type');
    expect(events.map((e: { type: string }) => e.type)).toEqual(['activity.logged', 'activity.completed']);
  });
});

describe('activities are exactly as visible as their record', () => {
  let hiddenNote: string;
  let hiddenTask: string;

  beforeAll(async () => {
    hiddenNote = (await log('rep1', { kind: 'NOTE', ...onLead(lead.rep1), body: 'Private' })).id;
    // a task on rep1's lead assigned to rep2, who cannot see that lead
    hiddenTask = (
      await log('rep1', {
        kind: 'TASK',
        ...onLead(lead.rep1),
        title: 'Not for rep2',
        dueAt: new Date(Date.now() - hour).toISOString(),
        assigneeId: U.rep2,
      })
    ).id;
  });

  it("never shows another team's lead's activities to a rep, by timeline, id or task list", async () => {
    expect(await org.code('rep2', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 10 })).toBe('NOT_FOUND');
    expect(await org.code('rep2', ACTIVITY, { id: hiddenNote })).toBe('NOT_FOUND');
    expect(await org.code('rep2', ACTIVITY, { id: hiddenTask })).toBe('NOT_FOUND');
    expect(await taskIds('rep2', 'OVERDUE')).not.toContain(hiddenTask);
    // the task is there: it shows once rep2 may see the lead (its owner's manager sees it in the timeline)
    expect(await titles('mgr', lead.rep1)).toContain('Not for rep2');
    expect(await org.code('rep1', ACTIVITY, { id: hiddenTask })).toBe('OK');
  });

  it("refuses writes on another team's activities as if they did not exist", async () => {
    expect(await org.code('rep2', LOG, { input: { kind: 'NOTE', ...onLead(lead.rep1), body: 'x' } })).toBe(
      'NOT_FOUND',
    );
    expect(await org.code('rep2', UPDATE, { id: hiddenNote, input: { body: 'hacked' } })).toBe('NOT_FOUND');
    expect(await org.code('rep2', DELETE, { id: hiddenNote })).toBe('NOT_FOUND');
    expect(await org.code('rep2', COMPLETE, { id: hiddenTask, done: true })).toBe('NOT_FOUND');
    expect(await titles('rep1', lead.rep1)).toContain(null);
    const stored = await org.tenant.db('activities').where({ id: hiddenNote }).first();
    expect(stored.body).toBe('Private');
  });

  it('lets readers without the update right read the timeline but not log on it', async () => {
    expect(await titles('analyst', lead.rep1)).toContain('Not for rep2');
    expect(await org.code('analyst', LOG, { input: { kind: 'NOTE', ...onLead(lead.rep1), body: 'x' } })).toBe(
      'FORBIDDEN',
    );
    expect(await org.code('nobody', TIMELINE, { t: 'LEAD', id: lead.rep1, first: 10 })).toBe('NOT_FOUND');
  });
});

describe('my tasks by due date', () => {
  it('sorts open tasks into overdue, today and upcoming; completing one takes it off the list', async () => {
    const now = Date.now();
    const endOfDay = Date.UTC(
      new Date(now).getUTCFullYear(),
      new Date(now).getUTCMonth(),
      new Date(now).getUTCDate() + 1,
    );
    const task = async (title: string, due: number, reminder?: number) =>
      (
        await log('rep2', {
          kind: 'TASK',
          ...onLead(lead.rep2),
          title,
          dueAt: new Date(due).toISOString(),
          ...(reminder ? { reminderAt: new Date(reminder).toISOString() } : {}),
        })
      ).id as string;
    const overdue = await task('Call back', now - 2 * hour, now - 3 * hour);
    const today = await task('Today', Math.round((now + 60_000 + endOfDay) / 2));
    const later = await task('Next week', now + 7 * 24 * hour);
    const sooner = await task('Tomorrow-ish', endOfDay + hour);

    expect(await taskIds('rep2', 'OVERDUE')).toEqual([overdue]);
    expect(await taskIds('rep2', 'TODAY')).toEqual([today]);
    expect(await taskIds('rep2', 'UPCOMING')).toEqual([sooner, later]);
    const reminded = (
      await org.ok('rep2', `query($id: ID!) { activity(id: $id) { reminderDue } }`, { id: overdue })
    ).activity;
    expect(reminded.reminderDue).toBe(true);
    // tasks assigned to others are not mine
    expect(await taskIds('rep1', 'OVERDUE')).not.toContain(overdue);

    const done = (await org.ok('rep2', COMPLETE, { id: overdue, done: true })).completeTask;
    expect(done).toEqual({ id: overdue, done: true, completedBy: U.rep2 });
    expect(await taskIds('rep2', 'OVERDUE')).toEqual([]);
    await org.ok('rep2', COMPLETE, { id: overdue, done: false });
    expect(await taskIds('rep2', 'OVERDUE')).toEqual([overdue]);

    const note = await log('rep2', { kind: 'NOTE', ...onLead(lead.rep2), body: 'not a task' });
    expect(await org.code('rep2', COMPLETE, { id: note.id, done: true })).toBe('VALIDATION_FAILED');
  });
});

describe('recent activity, the dashboard feed', () => {
  const RECENT = `query($first: Int) { recentActivity(first: $first) {
    id kind subjectType subjectId subjectName body createdAt author { id displayName } } }`;
  type Item = { id: string; subjectId: string; subjectName: string; body: string | null; createdAt: string };
  const recent = async (who: Who, first?: number) =>
    (await org.ok(who, RECENT, first === undefined ? {} : { first })).recentActivity as Item[];
  const notes = {} as Record<'rep1' | 'rep2' | 'rep3', string>;
  let tucsonLead: string;

  beforeAll(async () => {
    tucsonLead = await newLead('rep3', 'Cal');
    for (const [who, subject] of [
      ['rep1', lead.rep1],
      ['rep2', lead.rep2],
      ['rep3', tucsonLead],
    ] as const)
      notes[who] = (await log(who, { kind: 'NOTE', ...onLead(subject), body: `Feed note by ${who}` })).id;
  });

  it('shows a rep the newest activities on their own records only, with who and on which record', async () => {
    const items = await recent('rep1');
    expect(items[0]).toMatchObject({
      id: notes.rep1,
      subjectId: lead.rep1,
      subjectName: 'Ana Lead',
      body: 'Feed note by rep1',
      author: { id: U.rep1, displayName: expect.any(String) },
    });
    expect(items.length).toBeGreaterThan(1);
    expect(new Set(items.map((i) => i.subjectId))).toEqual(new Set([lead.rep1]));
    expect((await recent('rep3')).map((i) => i.id)).toEqual([notes.rep3]);
  });

  it("shows a manager their branch's activities, not another branch's, newest first", async () => {
    const items = await recent('mgr', 50);
    expect(items.slice(0, 2).map((i) => i.id)).toEqual([notes.rep2, notes.rep1]);
    expect(items.map((i) => i.subjectId)).not.toContain(tucsonLead);
    const ids = items.map((i) => i.id);
    expect(ids).toEqual([...ids].sort().reverse());
    const times = items.map((i) => Date.parse(i.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // the admin sees every branch
    expect((await recent('admin', 3)).map((i) => i.id)).toEqual([notes.rep3, notes.rep2, notes.rep1]);
    expect(await recent('nobody')).toEqual([]);
  });

  it('refuses a page size outside 1–50', async () => {
    expect(await org.code('mgr', RECENT, { first: 51 })).toBe('VALIDATION_FAILED');
    expect(await org.code('mgr', RECENT, { first: 0 })).toBe('VALIDATION_FAILED');
  });

  it('a page of 20 costs the same queries as a page of 2 (subjects, names and authors batched)', async () => {
    const pool = org.rt.runtime.pools.get({
      tenantId: org.tenant.id,
      schema: org.tenant.schema,
      user: org.tenant.user,
      password: org.tenant.password,
    });
    // activities by several authors on several records of the branch
    for (let i = 0; i < 20; i++) {
      const who = (['rep1', 'rep2', 'mgr'] as const)[i % 3]!;
      const subject = who === 'rep1' || (who === 'mgr' && i % 2) ? lead.rep1 : lead.rep2;
      await log(who, { kind: 'NOTE', ...onLead(subject), body: `Batch ${i}` });
    }
    let queries = 0;
    const count = () => void queries++;
    pool.on('query', count);
    const measure = async (first: number) => {
      queries = 0;
      const items = await recent('mgr', first);
      return { queries, n: items.length, records: new Set(items.map((i) => i.subjectId)).size };
    };
    try {
      await measure(2); // warms the manager's cached permissions
      const small = await measure(2);
      const big = await measure(20);
      expect(big).toMatchObject({ n: 20, records: 2 });
      expect(big.queries).toBe(small.queries);
    } finally {
      pool.off('query', count);
    }
  });

  it("still finds a rep's activities behind hundreds of newer ones on other teams' records", async () => {
    const now = Date.now();
    // 450 newer notes on a Phoenix lead, written straight to the table to keep the test quick
    const rows = Array.from({ length: 450 }, (_, i) => ({
      id: uuidv7({ msecs: now + 1000 + i }),
      kind: 'note',
      subject_type: 'lead',
      subject_id: lead.rep1,
      body: `Busy ${i}`,
      created_by: U.rep1,
    }));
    await org.tenant.db('activities').insert(rows);
    expect((await recent('rep3')).map((i) => i.id)).toEqual([notes.rep3]);
    expect((await recent('rep1', 1))[0]!.body).toBe('Busy 449');
  });
});

describe("activities on a customer's contacts and sites, and on a deal's proposals", () => {
  const ACCOUNT = `query($id: ID!) { account(id: $id) { id lastActivityAt } }`;
  const OPPORTUNITY = `query($id: ID!) { opportunity(id: $id) { id lastActivityAt } }`;
  const NAMED = `query($t: ActivitySubjectType!, $id: ID!, $related: Boolean) {
    timeline(subjectType: $t, subjectId: $id, first: 50, includeRelated: $related) {
      totalCount edges { node { id subjectType subjectName parentId body } } } }`;
  const REMOVE_CONTACT = `mutation($id: ID!) { removeContact(id: $id) { deletedId } }`;
  const ids = {} as Record<'account' | 'contact' | 'site' | 'opportunity' | 'proposal', string>;
  const bodies = async (who: Who, t: string, id: string, related?: boolean) =>
    (await org.ok(who, NAMED, { t, id, related })).timeline.edges.map(
      (e: { node: { subjectType: string; subjectName: string; body: string } }) =>
        `${e.node.subjectType} ${e.node.subjectName}: ${e.node.body}`,
    );
  const note = (subjectType: string, subjectId: string, body: string) =>
    log('rep1', { kind: 'NOTE', subjectType, subjectId, body });

  beforeAll(async () => {
    const account = (
      await org.ok(
        'rep1',
        `mutation($input: CreateAccountInput!) { createAccount(input: $input) {
          account { id contacts { id } sites { id } } } }`,
        {
          input: {
            kind: 'RESIDENTIAL',
            name: 'Okafor household',
            contacts: [{ firstName: 'Chidi', lastName: 'Okafor' }],
            sites: [{ label: 'Home', street: '4 Mesa Rd', city: 'Tempe', latitude: 33.4, longitude: -111.9 }],
          },
        },
      )
    ).createAccount.account;
    ids.account = account.id;
    ids.contact = account.contacts[0].id;
    ids.site = account.sites[0].id;
    ids.opportunity = (
      await org.ok(
        'rep1',
        `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`,
        { input: { name: 'Okafor 7 kW', accountId: ids.account, siteId: ids.site } },
      )
    ).createOpportunity.opportunity.id;
    ids.proposal = (
      await org.ok(
        'rep1',
        `mutation($o: ID!, $i: ProposalInput!) { createProposal(opportunityId: $o, input: $i) { proposal { id } } }`,
        {
          o: ids.opportunity,
          i: {
            design: {
              lines: [
                { catalogueItemId: 'qcells-410', quantity: 16 },
                { catalogueItemId: 'enphase-iq8m', quantity: 16 },
              ],
              tilt: 20,
              azimuth: 180,
            },
            pricing: { method: { kind: 'per_watt', centsPerWatt: 310 } },
            utility: { annualUsageKwh: 9_000, rateCentsPerKwh: 17 },
            financing: [{ kind: 'cash', label: 'Cash' }],
          },
        },
      )
    ).createProposal.proposal.id;
  });

  it('logs on a contact and a site, names them, and rolls them up to the customer', async () => {
    expect((await org.ok('rep1', ACCOUNT, { id: ids.account })).account.lastActivityAt).toBeNull();
    await note('CONTACT', ids.contact, 'Prefers texts');
    await note('SITE', ids.site, 'Gate code 4411');
    await note('ACCOUNT', ids.account, 'Referred by a neighbour');
    expect(await bodies('rep1', 'CONTACT', ids.contact)).toEqual(['CONTACT Chidi Okafor: Prefers texts']);
    // the customer's timeline gathers its contacts' and sites' activities, newest first
    expect(await bodies('rep1', 'ACCOUNT', ids.account)).toEqual([
      'ACCOUNT Okafor household: Referred by a neighbour',
      'SITE Home · 4 Mesa Rd, Tempe: Gate code 4411',
      'CONTACT Chidi Okafor: Prefers texts',
    ]);
    const onSite = (await org.ok('rep1', NAMED, { t: 'SITE', id: ids.site })).timeline.edges[0].node;
    expect(onSite.parentId).toBe(ids.account);
    expect(await bodies('rep1', 'ACCOUNT', ids.account, false)).toEqual([
      'ACCOUNT Okafor household: Referred by a neighbour',
    ]);
    const at = (await org.ok('rep1', ACCOUNT, { id: ids.account })).account.lastActivityAt;
    expect(Date.now() - Date.parse(at)).toBeLessThan(60_000);
  });

  it("logs on a proposal version, shown in the deal's timeline and rolled up to the deal", async () => {
    const task = await log('rep1', {
      kind: 'TASK',
      subjectType: 'PROPOSAL',
      subjectId: ids.proposal,
      title: 'Walk them through the loan option',
      dueAt: new Date(Date.now() + 48 * hour).toISOString(),
    });
    expect(task).toMatchObject({ subjectType: 'PROPOSAL', subjectId: ids.proposal });
    const deal = (await org.ok('rep1', NAMED, { t: 'OPPORTUNITY', id: ids.opportunity })).timeline;
    expect(deal.edges.map((e: { node: { subjectName: string } }) => e.node.subjectName)).toContain(
      'Okafor 7 kW · proposal v1',
    );
    const at = (await org.ok('rep1', OPPORTUNITY, { id: ids.opportunity })).opportunity.lastActivityAt;
    expect(Date.now() - Date.parse(at)).toBeLessThan(60_000);
    expect(await taskIds('rep1', 'UPCOMING')).toContain(task.id);
  });

  it("hides them with their customer or deal: another team's rep gets NOT_FOUND everywhere", async () => {
    for (const [t, id] of [
      ['CONTACT', ids.contact],
      ['SITE', ids.site],
      ['PROPOSAL', ids.proposal],
    ] as const) {
      expect(await org.code('rep2', NAMED, { t, id })).toBe('NOT_FOUND');
      expect(
        await org.code('rep2', LOG, { input: { kind: 'NOTE', subjectType: t, subjectId: id, body: 'x' } }),
      ).toBe('NOT_FOUND');
    }
    // readers see them, but working the record needs the update right
    expect(await bodies('analyst', 'SITE', ids.site)).toHaveLength(1);
    expect(
      await org.code('analyst', LOG, {
        input: { kind: 'NOTE', subjectType: 'PROPOSAL', subjectId: ids.proposal, body: 'x' },
      }),
    ).toBe('FORBIDDEN');
    expect(await org.code('rep1', NAMED, { t: 'CONTACT', id: uuidv7() })).toBe('NOT_FOUND');
  });

  it("keeps a removed contact's activities on the customer's timeline", async () => {
    await org.ok('rep1', REMOVE_CONTACT, { id: ids.contact });
    expect(await org.code('rep1', NAMED, { t: 'CONTACT', id: ids.contact })).toBe('NOT_FOUND');
    expect(await bodies('rep1', 'ACCOUNT', ids.account)).toContain('ACCOUNT Okafor household: Prefers texts');
  });
});
