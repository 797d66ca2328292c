import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg } from '../../modules/customers/sales-org.fixture.js';
import { restClient, type RestCall } from './rest-client.fixture.js';

/*
 * /api/v1 for contacts, sites, opportunities, proposals and activities: the same round trip, conditional
 * requests, idempotent retries, row scope and validation as leads and accounts (rest-api.test.ts).
 */

let org: SalesOrg;
let api: RestCall;
/** rep1's account (Phoenix A), with one site that has coordinates */
let account: { id: string; siteId: string };

const outboxTypes = async (entityId: string) =>
  (await org.tenant.db('outbox').where({ entity_id: entityId }).orderBy('id').select('type')).map(
    (e: { type: string }) => e.type,
  );

beforeAll(async () => {
  org = await startSalesOrg();
  api = await restClient(org);
  const created = await api('rep1', 'POST', '/accounts', {
    body: {
      kind: 'residential',
      name: 'Okafor',
      sites: [{ street: '3 Ray Rd', city: 'Phoenix', latitude: 33.45, longitude: -112.07 }],
    },
  });
  const sites = await api('rep1', 'GET', `/sites?accountId=${created.body.id}`);
  account = { id: created.body.id, siteId: sites.body.data[0].id };
});
afterAll(async () => {
  await org?.close();
});

describe('REST /api/v1/contacts', () => {
  it('adds, reads, lists, changes and removes a contact, writing an outbox event each time', async () => {
    const created = await api('rep1', 'POST', '/contacts', {
      body: { accountId: account.id, firstName: 'Ngozi', lastName: 'Okafor', email: 'ngozi@example.com' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ accountId: account.id, fullName: 'Ngozi Okafor', isPrimary: false });
    const id = created.body.id as string;
    expect((await api('rep1', 'GET', `/contacts/${id}`)).body).toEqual(created.body);

    const listed = await api('rep1', 'GET', `/contacts?accountId=${account.id}&search=Okafor`);
    expect(listed.body.data.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(listed.body.totalCount).toBe(1);

    const patched = await api('rep1', 'PATCH', `/contacts/${id}`, {
      body: { title: 'Homeowner', isPrimary: true },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: 'Homeowner', isPrimary: true });
    const stale = await api('rep1', 'PATCH', `/contacts/${id}`, {
      body: { title: 'Landlord' },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(stale.status).toBe(412);
    expect((await api('rep1', 'GET', `/contacts/${id}`)).body.title).toBe('Homeowner');

    expect((await api('rep1', 'DELETE', `/contacts/${id}`)).status).toBe(204);
    expect((await api('rep1', 'GET', `/contacts/${id}`)).status).toBe(404);
    expect(await outboxTypes(id)).toEqual(['contact.created', 'contact.updated', 'contact.removed']);
  });

  it('replays a retried create: one contact, one site', async () => {
    for (const [path, body] of [
      ['/contacts', { accountId: account.id, firstName: 'Retry', lastName: 'Okafor' }],
      ['/sites', { accountId: account.id, label: 'Retry barn', city: 'Retryville' }],
    ] as const) {
      const headers = { 'idempotency-key': `once-${path}` };
      const first = await api('rep1', 'POST', path, { body, headers });
      const retry = await api('rep1', 'POST', path, { body, headers });
      expect(first.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
    }
    expect(
      (await api('rep1', 'GET', '/contacts?search=Okafor')).body.data.filter(
        (c: { firstName: string }) => c.firstName === 'Retry',
      ),
    ).toHaveLength(1);
    expect((await api('rep1', 'GET', '/sites?search=Retry')).body.totalCount).toBe(1);
  });

  it("hides another team's contacts and refuses bad input with field errors", async () => {
    const { body } = await api('rep1', 'POST', '/contacts', {
      body: { accountId: account.id, firstName: 'Chidi', lastName: 'Okafor' },
    });
    expect((await api('rep3', 'GET', `/contacts/${body.id}`)).status).toBe(404);
    expect((await api('rep3', 'GET', '/contacts?search=Okafor')).body.data).toEqual([]);
    expect(
      (
        await api('rep3', 'POST', '/contacts', {
          body: { accountId: account.id, firstName: 'X', lastName: 'Y' },
        })
      ).status,
    ).toBe(404);
    const bad = await api('rep1', 'POST', '/contacts', {
      body: { accountId: 'nope', firstName: '', email: 'x' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['accountId', 'firstName', 'lastName', 'email']),
    );
  });
});

describe('REST /api/v1/sites', () => {
  it('adds, reads, lists, changes and removes a site; a stale If-Match changes nothing', async () => {
    const created = await api('rep1', 'POST', '/sites', {
      body: {
        accountId: account.id,
        label: 'Cabin',
        city: 'Flagstaff',
        roofType: 'metal',
        annualUsageKwh: 9000,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ label: 'Cabin', roofType: 'metal', country: 'US' });
    const id = created.body.id as string;
    const stale = created.headers.get('etag')!;
    const patched = await api('rep1', 'PATCH', `/sites/${id}`, {
      body: { shading: 'light' },
      headers: { 'if-match': stale },
    });
    expect(patched.body.shading).toBe('light');
    const lost = await api('rep1', 'PATCH', `/sites/${id}`, {
      body: { shading: 'heavy' },
      headers: { 'if-match': stale },
    });
    expect(lost.status).toBe(412);
    expect((await api('rep1', 'GET', `/sites/${id}`)).body.shading).toBe('light');
    expect(
      (await api('rep1', 'GET', '/sites?search=Flag')).body.data.map((s: { id: string }) => s.id),
    ).toEqual([id]);
    expect((await api('rep1', 'DELETE', `/sites/${id}`, { headers: { 'if-match': stale } })).status).toBe(
      412,
    );
    expect((await api('rep1', 'DELETE', `/sites/${id}`)).status).toBe(204);
    expect(await outboxTypes(id)).toEqual(['site.created', 'site.updated', 'site.removed']);
    const bad = await api('rep1', 'POST', '/sites', {
      body: { accountId: account.id, latitude: 200, roofType: 'straw' },
    });
    expect(Object.keys(bad.body.error.fields)).toEqual(expect.arrayContaining(['latitude', 'roofType']));
  });
});

describe('REST /api/v1/opportunities', () => {
  it('opens, reads, lists, changes and moves an opportunity through the pipeline', async () => {
    const stages = (await api('rep1', 'GET', '/pipeline-stages')).body.data as Array<{
      id: string;
      kind: string;
    }>;
    expect(stages.map((s) => s.kind)).toContain('lost');
    const created = await api('rep1', 'POST', '/opportunities', {
      body: { name: 'Okafor 9 kW', accountId: account.id, siteId: account.siteId, amount: 27000 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Okafor 9 kW',
      amount: 27000,
      ownerId: U.rep1,
      stageId: stages[0]!.id,
    });
    const id = created.body.id as string;
    expect((await api('rep1', 'GET', `/opportunities/${id}`)).body).toEqual(created.body);

    const patched = await api('rep1', 'PATCH', `/opportunities/${id}`, {
      body: { systemSizeKw: 9.2, expectedCloseDate: '2027-01-15' },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(patched.body).toMatchObject({ systemSizeKw: 9.2, expectedCloseDate: '2027-01-15' });
    const stale = await api('rep1', 'PATCH', `/opportunities/${id}`, {
      body: { name: 'Too late' },
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(stale.status).toBe(412);

    const listed = await api('rep1', 'GET', `/opportunities?accountId=${account.id}&open=true&search=Okafor`);
    expect(listed.body.data.map((o: { id: string }) => o.id)).toEqual([id]);
    const byClose = await api('rep1', 'GET', '/opportunities?sort=expected_close&closingAfter=2027-01-01');
    expect(byClose.body.data.map((o: { id: string }) => o.id)).toEqual([id]);

    const lost = stages.find((s) => s.kind === 'lost')!;
    const noReason = await api('rep1', 'POST', `/opportunities/${id}/stage`, { body: { stageId: lost.id } });
    expect(noReason.status).toBe(400);
    expect(Object.keys(noReason.body.error.fields)).toEqual(['reason']);
    const moved = await api('rep1', 'POST', `/opportunities/${id}/stage`, {
      body: { stageId: stages[1]!.id },
    });
    expect(moved.body.stageId).toBe(stages[1]!.id);
    const closed = await api('rep1', 'POST', `/opportunities/${id}/stage`, {
      body: { stageId: lost.id, reason: 'Went with a competitor' },
    });
    expect(closed.body).toMatchObject({ stageId: lost.id, lostReason: 'Went with a competitor' });
    expect(
      (await api('rep1', 'GET', `/opportunities?open=false&accountId=${account.id}`)).body.totalCount,
    ).toBe(1);
    // opportunities are closed as lost, not deleted
    expect((await api('rep1', 'DELETE', `/opportunities/${id}`)).status).toBe(405);
  });

  it("gives a rep 404 for another team's opportunity, everywhere", async () => {
    const { body: opp } = await api('rep1', 'POST', '/opportunities', {
      body: { name: 'Hidden deal', accountId: account.id },
    });
    expect((await api('rep3', 'GET', `/opportunities/${opp.id}`)).status).toBe(404);
    expect((await api('rep3', 'PATCH', `/opportunities/${opp.id}`, { body: { name: 'Mine' } })).status).toBe(
      404,
    );
    expect(
      (await api('rep3', 'POST', `/opportunities/${opp.id}/stage`, { body: { stageId: 'site_survey' } }))
        .status,
    ).toBe(404);
    expect((await api('rep3', 'GET', '/opportunities?search=Hidden')).body.data).toEqual([]);
    expect((await api('mgr', 'GET', `/opportunities/${opp.id}`)).status).toBe(200);
  });

  it('replays a retried create and refuses bad input with field errors', async () => {
    const key = { 'idempotency-key': 'opp-once' };
    const body = { name: 'Once', accountId: account.id };
    const first = await api('rep1', 'POST', '/opportunities', { body, headers: key });
    const retry = await api('rep1', 'POST', '/opportunities', { body, headers: key });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect((await api('rep1', 'GET', '/opportunities?search=Once')).body.totalCount).toBe(1);
    const bad = await api('rep1', 'POST', '/opportunities', {
      body: { name: '', accountId: 'x', amount: -1, expectedCloseDate: '2027-02-30' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toEqual(
      expect.arrayContaining(['name', 'accountId', 'amount', 'expectedCloseDate']),
    );
    expect((await api('rep1', 'GET', '/opportunities?open=maybe')).body.error.fields).toHaveProperty('open');
  });
});

/** 20 × 410 W modules on IQ8M micros from the seeded catalogue, $3.00/W, 30 % ITC, cash and a 20-year loan. */
const proposalInput = (modules = 20) => ({
  design: {
    lines: [
      { catalogueItemId: 'qcells-410', quantity: modules },
      { catalogueItemId: 'enphase-iq8m', quantity: modules },
      { catalogueItemId: 'ironridge-xr10', quantity: modules },
    ],
    tilt: 25,
    azimuth: 180,
  },
  pricing: { method: { kind: 'per_watt', centsPerWatt: 300 } },
  incentives: { federalItcRate: 0.3 },
  utility: { annualUsageKwh: 12_000, rateCentsPerKwh: 18 },
  financing: [
    { kind: 'cash', label: 'Cash' },
    { kind: 'loan', label: '20-year loan', apr: 0.0699, termMonths: 240 },
  ],
});

describe('REST /api/v1/proposals', () => {
  it('creates version 1 with its figures, edits the draft, sends it, versions it and lists the versions', async () => {
    const opp = (
      await api('rep1', 'POST', '/opportunities', {
        body: { name: 'Okafor solar', accountId: account.id, siteId: account.siteId },
      })
    ).body;
    const created = await api('rep1', 'POST', `/opportunities/${opp.id}/proposals`, {
      body: proposalInput(),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      version: 1,
      status: 'draft',
      allowedActions: ['send'],
      frozen: false,
    });
    const f = created.body.figures;
    expect(f.systemKwDc).toBe(8.2);
    expect(f.price.gross).toBe(24_600);
    expect(f.price.federalTaxCredit).toBe(7_380);
    const loan = f.financing.find((o: { kind: string }) => o.kind === 'loan');
    // standard amortisation: P·r / (1 − (1 + r)^−n), r = APR / 12
    const r = 0.0699 / 12;
    expect(loan.monthlyPayment).toBeCloseTo((loan.amountFinanced * r) / (1 - (1 + r) ** -240), 2);
    const id = created.body.id as string;
    expect((await api('rep1', 'GET', `/proposals/${id}`)).body).toEqual(created.body);

    const edited = await api('rep1', 'PATCH', `/proposals/${id}`, {
      body: proposalInput(24),
      headers: { 'if-match': created.headers.get('etag')! },
    });
    expect(edited.body.figures.systemKwDc).toBe(9.84);
    expect(
      (
        await api('rep1', 'PATCH', `/proposals/${id}`, {
          body: proposalInput(22),
          headers: { 'if-match': created.headers.get('etag')! },
        })
      ).status,
    ).toBe(412);

    const sendKey = { 'idempotency-key': `send-${id}` };
    const sent = await api('rep1', 'POST', `/proposals/${id}/status`, {
      body: { action: 'send' },
      headers: sendKey,
    });
    // a retried send is the first answer again, not a 409 from the status machine
    const resent = await api('rep1', 'POST', `/proposals/${id}/status`, {
      body: { action: 'send' },
      headers: sendKey,
    });
    expect(resent.status).toBe(200);
    expect(resent.body).toEqual(sent.body);
    expect(sent.body).toMatchObject({
      status: 'sent',
      frozen: true,
      allowedActions: ['accept', 'reject', 'expire'],
    });
    expect((await api('rep1', 'PATCH', `/proposals/${id}`, { body: proposalInput() })).status).toBe(409);
    expect((await api('rep1', 'POST', `/proposals/${id}/status`, { body: { action: 'send' } })).status).toBe(
      409,
    );

    const v2 = await api('rep1', 'POST', `/proposals/${id}/versions`, { body: {} });
    expect(v2.status).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, status: 'draft' });
    expect(v2.body.figures.systemKwDc).toBe(9.84);
    const v3 = await api('rep1', 'POST', `/proposals/${v2.body.id}/versions`, {
      body: { input: proposalInput(16) },
    });
    expect(v3.body).toMatchObject({ version: 3 });
    expect(v3.body.figures.systemKwDc).toBe(6.56);
    const versions = await api('rep1', 'GET', `/opportunities/${opp.id}/proposals`);
    expect(
      versions.body.data.map((p: { version: number; supersededByVersion: number | null }) => [
        p.version,
        p.supersededByVersion,
      ]),
    ).toEqual([
      [3, null],
      [2, 3],
      [1, 2],
    ]);
    const accepted = await api('rep1', 'POST', `/proposals/${v3.body.id}/status`, {
      body: { action: 'send' },
    });
    expect(accepted.body.status).toBe('sent');
    expect(
      (await api('rep1', 'POST', `/proposals/${v3.body.id}/status`, { body: { action: 'accept' } })).body
        .status,
    ).toBe('accepted');

    // hidden from another team, like the opportunity
    expect((await api('rep3', 'GET', `/proposals/${id}`)).status).toBe(404);
    expect((await api('rep3', 'GET', `/opportunities/${opp.id}/proposals`)).body.data).toEqual([]);
    expect((await api('rep3', 'POST', `/proposals/${id}/versions`, { body: {} })).status).toBe(404);
  });

  it('refuses bad inputs with field errors and a second version 1 with 409', async () => {
    const opp = (
      await api('rep1', 'POST', '/opportunities', { body: { name: 'Bad input', accountId: account.id } })
    ).body;
    const bad = await api('rep1', 'POST', `/opportunities/${opp.id}/proposals`, {
      body: { ...proposalInput(), pricing: { method: { kind: 'per_watt', centsPerWatt: -5 } } },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).some((k) => k.startsWith('pricing'))).toBe(true);
    // no site, no location: the service says where
    const noPlace = await api('rep1', 'POST', `/opportunities/${opp.id}/proposals`, {
      body: proposalInput(),
    });
    expect(noPlace.body.error.fields).toHaveProperty(['input.location']);
    const located = { ...proposalInput(), location: { lat: 33.4, lon: -112 } };
    expect((await api('rep1', 'POST', `/opportunities/${opp.id}/proposals`, { body: located })).status).toBe(
      201,
    );
    expect((await api('rep1', 'POST', `/opportunities/${opp.id}/proposals`, { body: located })).status).toBe(
      409,
    );
    expect(
      (await api('rep1', 'POST', `/proposals/${opp.id}/status`, { body: { action: 'sign' } })).body.error
        .fields,
    ).toHaveProperty('action');
  });
});

describe('REST /api/v1/activities', () => {
  it('logs, reads, lists, changes, completes and deletes activities on a record', async () => {
    const due = new Date(Date.now() + 86_400_000).toISOString();
    const task = await api('rep1', 'POST', '/activities', {
      body: {
        kind: 'task',
        subjectType: 'account',
        subjectId: account.id,
        title: 'Send the design',
        dueAt: due,
      },
    });
    expect(task.status).toBe(201);
    expect(task.body).toMatchObject({ kind: 'task', assigneeId: U.rep1, dueAt: due, completedAt: null });
    const call = await api('rep1', 'POST', '/activities', {
      body: { kind: 'call', subjectType: 'account', subjectId: account.id, callOutcome: 'connected' },
    });
    expect(call.status).toBe(201);
    const id = task.body.id as string;
    expect((await api('rep1', 'GET', `/activities/${id}`)).body).toEqual(task.body);

    const all = await api('rep1', 'GET', `/activities?subjectType=account&subjectId=${account.id}`);
    expect(all.body.data.map((a: { id: string }) => a.id)).toEqual([call.body.id, id]);
    const tasks = await api(
      'rep1',
      'GET',
      `/activities?subjectType=account&subjectId=${account.id}&kind=task`,
    );
    expect(tasks.body.data.map((a: { id: string }) => a.id)).toEqual([id]);

    const later = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const patched = await api('rep1', 'PATCH', `/activities/${id}`, {
      body: { dueAt: later },
      headers: { 'if-match': task.headers.get('etag')! },
    });
    expect(patched.body.dueAt).toBe(later);
    expect(
      (
        await api('rep1', 'PATCH', `/activities/${id}`, {
          body: { title: 'x' },
          headers: { 'if-match': task.headers.get('etag')! },
        })
      ).status,
    ).toBe(412);

    const done = await api('rep1', 'POST', `/activities/${id}/complete`, { body: {} });
    expect(done.body.completedAt).toEqual(expect.any(String));
    expect(done.body.completedBy).toBe(U.rep1);
    const reopened = await api('rep1', 'POST', `/activities/${id}/complete`, { body: { done: false } });
    expect(reopened.body.completedAt).toBeNull();
    expect((await api('rep1', 'POST', `/activities/${call.body.id}/complete`, { body: {} })).status).toBe(
      400,
    );

    expect((await api('rep1', 'DELETE', `/activities/${id}`)).status).toBe(204);
    expect((await api('rep1', 'GET', `/activities/${id}`)).status).toBe(404);
  });

  it('hides activities on records the caller cannot see, replays retries and explains bad input', async () => {
    const key = { 'idempotency-key': 'note-once' };
    const body = { kind: 'note', subjectType: 'account', subjectId: account.id, body: 'Prefers email' };
    const first = await api('rep1', 'POST', '/activities', { body, headers: key });
    const retry = await api('rep1', 'POST', '/activities', { body, headers: key });
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const notes = await api(
      'rep1',
      'GET',
      `/activities?subjectType=account&subjectId=${account.id}&kind=note`,
    );
    expect(notes.body.totalCount).toBe(1);

    expect((await api('rep3', 'GET', `/activities/${first.body.id}`)).status).toBe(404);
    expect((await api('rep3', 'GET', `/activities?subjectType=account&subjectId=${account.id}`)).status).toBe(
      404,
    );
    expect((await api('rep3', 'POST', '/activities', { body: { ...body, body: 'Mine now' } })).status).toBe(
      404,
    );

    const bad = await api('rep1', 'POST', '/activities', {
      body: {
        kind: 'meeting',
        subjectType: 'account',
        subjectId: account.id,
        title: 'Visit',
        startsAt: 'soon',
        endsAt: '2026-01-01T10:00:00Z',
      },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields)).toContain('startsAt');
    const backwards = await api('rep1', 'POST', '/activities', {
      body: {
        kind: 'meeting',
        subjectType: 'account',
        subjectId: account.id,
        title: 'Visit',
        startsAt: '2026-01-01T10:00:00Z',
        endsAt: '2026-01-01T09:00:00Z',
      },
    });
    expect(backwards.body.error.fields).toEqual({ endsAt: ['Must be after the start'] });
    const noSubject = await api('rep1', 'GET', '/activities?subjectType=planet');
    expect(Object.keys(noSubject.body.error.fields)).toEqual(
      expect.arrayContaining(['subjectType', 'subjectId']),
    );
  });
});
