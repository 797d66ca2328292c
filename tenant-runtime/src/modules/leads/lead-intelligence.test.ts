import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';
import { buildSalesOrg, PEOPLE, type SalesOrg, type Who } from './lead-test-org.js';

const LEAD_FIELDS = `id firstName email phone ownerId unitId status score grade
  scoreExplanation { rule points reason } scoreMissingFacts assignmentStrategy assignmentReason mergedIntoId`;
const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { ${LEAD_FIELDS} } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { lead { ${LEAD_FIELDS} } } }`;
const GET = `query($id: ID!) { lead(id: $id) { ${LEAD_FIELDS}
  duplicates { confidence matchedOn reasons lead { id } } } }`;
const MERGE = `mutation($p: ID!, $d: [ID!]!) { mergeLeads(primaryId: $p, duplicateIds: $d) {
  lead { ${LEAD_FIELDS} } mergedIds discarded { leadId field value } } }`;
const LIST = `query($filter: LeadFilter) { leads(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;
const SETTINGS = `{ leadSettings { scoringRulesAreDefault assignmentRules scoringRules updatedBy } }`;
const SET = `mutation($i: UpdateLeadSettingsInput!) { updateLeadSettings(input: $i) { settings { scoringRulesAreDefault assignmentRules } } }`;

let rt: TestRuntime;
let org: SalesOrg;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
const create = async (who: Who, input: Record<string, unknown>): Promise<any> =>
  (await org.ok(who, CREATE, { input: { lastName: 'Lead', source: 'WEB_FORM', ...input } })).createLead.lead;
const stored = (id: string) => org.tenant.db('leads').where({ id }).first();

beforeAll(async () => {
  rt = await startTestRuntime();
  org = await buildSalesOrg(rt);
});
afterAll(async () => {
  await rt?.close();
});

describe('scoring: every lead carries its score and why', () => {
  it('scores a new lead by the default rules and explains each point', async () => {
    const lead = await create('admin', {
      firstName: 'Score',
      source: 'REFERRAL',
      monthlyBill: 300,
      roofType: 'ASPHALT_SHINGLE',
    });
    expect(lead).toMatchObject({ score: 50, grade: 'B', assignmentStrategy: null, ownerId: PEOPLE.admin });
    expect(lead.scoreExplanation).toEqual([
      { rule: 'source.referral', points: 20, reason: 'Referred by a customer or friend' },
      { rule: 'monthlyBill.250-400', points: 22, reason: 'Bill $250–$400 a month: strong savings' },
      { rule: 'roofType.asphalt_shingle', points: 8, reason: 'Asphalt shingle roof: standard install' },
    ]);
    expect(lead.scoreMissingFacts).toEqual([
      'roofAge',
      'roofOrientation',
      'shading',
      'creditBand',
      'ownership',
    ]);
    expect(await stored(lead.id)).toMatchObject({ score: 50, grade: 'B' });
  });

  it('re-scores when a scored field changes, and only then', async () => {
    const lead = await create('admin', { firstName: 'Rescore', source: 'REFERRAL', monthlyBill: 300 });
    expect(lead.score).toBe(42);
    const owner = (await org.ok('admin', UPDATE, { id: lead.id, input: { ownership: 'HOMEOWNER' } }))
      .updateLead.lead;
    expect(owner.score).toBe(52);
    expect(owner.grade).toBe('B');
    expect(owner.scoreExplanation.at(-1)).toEqual({
      rule: 'ownership.homeowner',
      points: 10,
      reason: 'Owns the home',
    });
    const renter = (
      await org.ok('admin', UPDATE, { id: lead.id, input: { ownership: 'RENTER', monthlyBill: 90 } })
    ).updateLead.lead;
    expect(renter).toMatchObject({ score: 0, grade: 'D' });
    const before = await stored(lead.id);
    await org.ok('admin', UPDATE, { id: lead.id, input: { notes: 'Call after 5' } });
    expect((await stored(lead.id)).score_explanation).toEqual(before.score_explanation);
  });

  it('lets an administrator change the rules (validated, audited) and scores new leads by them', async () => {
    expect(await org.code('rep1', SETTINGS)).toBe('FORBIDDEN');
    expect(await org.code('rep1', SET, { i: { scoringRules: {} } })).toBe('FORBIDDEN');

    const bad = await org.gql('admin', SET, {
      i: { scoringRules: { source: { referral: { points: 500, reason: 'x' } } } },
    });
    expect(bad.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(bad.errors[0].extensions.fields)).toEqual([
      'input.scoringRules.source.referral.points',
    ]);
    expect((await org.ok('admin', SETTINGS)).leadSettings.scoringRulesAreDefault).toBe(true);

    const rules = { source: { referral: { points: 40, reason: 'Referral: our best channel' } } };
    const set = (await org.ok('admin', SET, { i: { scoringRules: rules } })).updateLeadSettings.settings;
    expect(set.scoringRulesAreDefault).toBe(false);
    const lead = await create('admin', { firstName: 'Custom', source: 'REFERRAL' });
    expect(lead.score).toBe(40);
    expect(lead.scoreExplanation[0].reason).toBe('Referral: our best channel');
    // a source the tenant's rule set leaves out scores nothing
    expect((await create('admin', { firstName: 'Web', source: 'WEB_FORM' })).score).toBe(0);

    const audit = await org.tenant
      .db('audit_log')
      .where({ action: 'settings.updated', entity_id: 'leads.scoring' })
      .first();
    expect(audit.actor_id).toBe(PEOPLE.admin);
    const after = typeof audit.after_state === 'string' ? JSON.parse(audit.after_state) : audit.after_state;
    expect(after.source.referral.points).toBe(40);

    await org.ok('admin', SET, { i: { scoringRules: null } });
    expect((await org.ok('admin', SETTINGS)).leadSettings.scoringRulesAreDefault).toBe(true);
    expect((await create('admin', { firstName: 'Back', source: 'REFERRAL' })).score).toBe(20);
  });
});

describe('assignment: who gets a new lead, with the reason recorded', () => {
  it('keeps the creator as owner while no assignment rules are set', async () => {
    const lead = await create('rep2', { firstName: 'Mine' });
    expect(lead).toMatchObject({ ownerId: PEOPLE.rep2, unitId: org.units.phxB, assignmentStrategy: null });
  });

  it('round-robin: takes turns within the pool and persists the cursor', async () => {
    await org.setRules({ assignmentRules: { strategy: 'round_robin', pool: { unitId: org.units.phxA } } });
    const owners = [];
    for (let i = 0; i < 3; i++) owners.push(await create('admin', { firstName: `RR${i}` }));
    expect(owners.map((l) => l.ownerId)).toEqual([PEOPLE.rep1, PEOPLE.rep1b, PEOPLE.rep1]);
    expect(owners.every((l) => l.unitId === org.units.phxA && l.assignmentStrategy === 'ROUND_ROBIN')).toBe(
      true,
    );
    expect(owners[0].assignmentReason).toBe('Round-robin in Phoenix A: rep1 starts the rotation');
    expect(owners[1].assignmentReason).toBe('Round-robin in Phoenix A: next after rep1');
    expect(
      await org.tenant.db('lead_assignment_cursors').where({ pool: org.units.phxA }).first(),
    ).toMatchObject({
      member_id: PEOPLE.rep1,
    });
  });

  it('load: gives the lead to the rep with the fewest open leads', async () => {
    await org.setRules({ assignmentRules: { strategy: 'load', pool: { unitId: org.units.phxA } } });
    // rep1 holds 2 open leads from round-robin, rep1b 1
    const lead = await create('admin', { firstName: 'Load' });
    expect(lead).toMatchObject({ ownerId: PEOPLE.rep1b, assignmentStrategy: 'LOAD' });
    expect(lead.assignmentReason).toBe(
      'Fewest open leads in Phoenix A: rep1b has 1 open lead (next: rep1 with 2)',
    );
  });

  it('territory: by postcode, by radius, by org unit, else the fallback', async () => {
    await org.setRules({
      assignmentRules: {
        strategy: 'territory',
        territories: [
          {
            name: 'Tucson',
            match: { kind: 'postcode', prefixes: ['857'] },
            assignTo: { unitId: org.units.tucA },
          },
          {
            name: 'Phoenix metro',
            match: { kind: 'radius', center: { lat: 33.4484, lon: -112.074 }, radiusKm: 40 },
            assignTo: { memberId: PEOPLE.rep2 },
          },
          {
            name: 'West desk',
            match: { kind: 'org_unit', unitIds: [org.units.phxB] },
            assignTo: { memberId: PEOPLE.rep2 },
          },
        ],
        fallback: { unitId: org.units.phxA, pick: 'load' },
      },
    });
    const tucson = await create('admin', { firstName: 'Tuc', postalCode: '85701' });
    expect(tucson).toMatchObject({
      ownerId: PEOPLE.rep3,
      unitId: org.units.tucA,
      assignmentStrategy: 'TERRITORY',
    });
    expect(tucson.assignmentReason).toBe(
      'Territory Tucson (postcode 85701 starts with 857) → Round-robin in Tucson A: rep3 starts the rotation',
    );
    const mesa = await create('admin', { firstName: 'Mesa', latitude: 33.4152, longitude: -111.8315 });
    expect(mesa.ownerId).toBe(PEOPLE.rep2);
    expect(mesa.assignmentReason).toMatch(
      /^Territory Phoenix metro \(22\.\d km from the centre, within 40 km\) → rep2/,
    );
    // rep2's own lead lands in their team (Phoenix B): the org-unit territory sends it to rep2
    const desk = await create('rep2', { firstName: 'Desk' });
    expect(desk.assignmentReason).toMatch(/^Territory West desk \(lead belongs to Phoenix B\) → rep2/);
    const elsewhere = await create('admin', { firstName: 'Far', postalCode: '10001' });
    expect(elsewhere.assignmentReason).toMatch(
      /^No territory matched \(postcode 10001\) → fallback: Fewest open leads in Phoenix A: /,
    );
    expect([PEOPLE.rep1, PEOPLE.rep1b]).toContain(elsewhere.ownerId);
  });
});

describe('assignment respects the caller’s scope', () => {
  it('a rep’s capture goes only to reps their scope reaches, never to another team', async () => {
    await org.setRules({ assignmentRules: { strategy: 'round_robin' } });
    const owners = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const lead = await create('rep1', { firstName: `Scope${i}` });
      owners.add(lead.ownerId);
      expect(lead.unitId).toBe(org.units.phxA);
      expect(lead.assignmentReason).toMatch(/^Round-robin across all reps: /);
    }
    expect([...owners].sort()).toEqual([PEOPLE.rep1, PEOPLE.rep1b].sort());
  });

  it('a rule pointing outside the rep’s scope leaves the lead with the rep, saying why', async () => {
    await org.setRules({ assignmentRules: { strategy: 'round_robin', pool: { unitId: org.units.tucA } } });
    const lead = await create('rep1', { firstName: 'Outside' });
    expect(lead).toMatchObject({
      ownerId: PEOPLE.rep1,
      unitId: org.units.phxA,
      assignmentStrategy: 'ROUND_ROBIN',
    });
    expect(lead.assignmentReason).toBe('No reps in Tucson A; kept by its creator');
  });

  it('a rep cannot assign to a team outside their scope by naming the owner either', async () => {
    const res = await org.gql('rep1', CREATE, {
      input: { firstName: 'Named', lastName: 'Lead', source: 'PHONE', ownerId: PEOPLE.rep3 },
    });
    expect(res.errors[0].extensions.code).toBe('OUT_OF_SCOPE');
    expect(await org.tenant.db('leads').where({ first_name: 'Named' }).first()).toBeUndefined();
    const mate = await create('rep1', { firstName: 'Mate', ownerId: PEOPLE.rep1b });
    expect(mate).toMatchObject({
      ownerId: PEOPLE.rep1b,
      unitId: org.units.phxA,
      assignmentStrategy: 'MANUAL',
    });
    await org.setRules({ assignmentRules: null });
  });
});

describe('duplicates are found by index and merge into one lead', () => {
  it('shows possible duplicates the viewer can see, with confidence and reasons', async () => {
    const jane = await create('admin', {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe@gmail.com',
      notes: 'Wants a battery.',
    });
    const again = await create('admin', {
      firstName: 'Janet',
      lastName: 'Doe',
      email: 'JaneDoe+ads@gmail.com',
      phone: '602-555-0142',
      monthlyBill: 240,
      street: '12 W Elm St',
      city: 'Phoenix',
      postalCode: '85004',
    });
    const hers = await create('rep3', { firstName: 'Jane', lastName: 'Doe', email: 'janedoe@gmail.com' });
    const other = await create('admin', { firstName: 'Max', lastName: 'Roe', email: 'max@example.com' });

    const seen = (await org.ok('admin', GET, { id: jane.id })).lead.duplicates;
    expect(seen.map((d: { lead: { id: string } }) => d.lead.id).sort()).toEqual([again.id, hers.id].sort());
    const byId = (id: string) => seen.find((d: { lead: { id: string } }) => d.lead.id === id);
    expect(byId(again.id)).toMatchObject({ confidence: 0.96, matchedOn: ['EMAIL'] });
    expect(byId(again.id).reasons).toEqual(['Same email (janedoe@gmail.com)', 'Same name (Janet Doe)']);
    expect((await org.ok('admin', GET, { id: other.id })).lead.duplicates).toEqual([]);
    // rep3 sees only their own lead, so only duplicates among what they can read
    expect((await org.ok('rep3', GET, { id: hers.id })).lead.duplicates).toEqual([]);

    const merged = (await org.ok('admin', MERGE, { p: jane.id, d: [again.id] })).mergeLeads;
    expect(merged.lead).toMatchObject({
      id: jane.id,
      email: 'jane.doe@gmail.com',
      phone: '602-555-0142',
      mergedIntoId: null,
    });
    expect(merged.lead.score).toBe(27); // web form 12 + bill $150–$250 15
    expect(merged.mergedIds).toEqual([again.id]);
    // the same mailbox spelt differently is no loss; a different first name is, and is kept
    expect(merged.discarded).toEqual([{ leadId: again.id, field: 'firstName', value: 'Janet' }]);

    expect((await org.ok('admin', GET, { id: again.id })).lead.mergedIntoId).toBe(jane.id);
    const listed = (await org.ok('admin', LIST, { filter: { search: 'Jane' } })).leads;
    expect(listed.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual(
      [jane.id, hers.id].sort(),
    );
    const after = (await org.ok('admin', GET, { id: jane.id })).lead.duplicates;
    expect(after.map((d: { lead: { id: string } }) => d.lead.id)).toEqual([hers.id]);

    const audit = await org.tenant
      .db('audit_log')
      .where({ action: 'lead.merged', entity_id: jane.id })
      .first();
    const state = typeof audit.after_state === 'string' ? JSON.parse(audit.after_state) : audit.after_state;
    expect(state.discarded).toEqual([{ leadId: again.id, field: 'firstName', value: 'Janet' }]);
    expect(state.mergedIds).toEqual([again.id]);
    expect(audit.actor_id).toBe(PEOPLE.admin);
  });

  it('merges only leads the caller may update: hidden → NOT_FOUND, read-only → FORBIDDEN, nothing changes', async () => {
    const a = await create('rep1', { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' });
    const b = await create('rep2', { firstName: 'Ann', lastName: 'Lee', email: 'ann@example.com' });
    expect(await org.code('rep1', MERGE, { p: a.id, d: [b.id] })).toBe('NOT_FOUND');
    expect(await org.code('analyst', MERGE, { p: a.id, d: [b.id] })).toBe('FORBIDDEN');
    expect(await org.code('admin', MERGE, { p: a.id, d: [a.id] })).toBe('VALIDATION_FAILED');
    expect((await stored(b.id)).merged_into_id).toBeNull();
    expect(
      await org.tenant.db('audit_log').where({ action: 'lead.merged', entity_id: a.id }).first(),
    ).toBeUndefined();
  });
});
