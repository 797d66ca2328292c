import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg } from '../customers/sales-org.fixture.js';

const CREATE_ACCOUNT = `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id sites { id } } } }`;
const CREATE = `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) {
  opportunity { id stage { id } probability amount weightedAmount ownerId unitId expectedCloseDate } } }`;
const MOVE = `mutation($id: ID!, $s: ID!, $r: String) { moveOpportunity(id: $id, stageId: $s, reason: $r) {
  opportunity { stage { id } probability closedAt lostReason stageHistory { fromStage { id } toStage { id } reason } } } }`;
const LOST = `mutation($id: ID!, $r: String!) { markLost(id: $id, reason: $r) { opportunity { stage { kind } lostReason } } }`;
const WON = `mutation($id: ID!) { markWon(id: $id) { opportunity { stage { kind } probability } } }`;
const PIPELINE = `query($f: OpportunityFilter) { pipeline(filter: $f) { stages { stage { id } count value weightedValue } openCount openValue weightedValue winRate } }`;
const LIST = `query($first: Int, $after: String, $filter: OpportunityFilter, $sort: OpportunitySort) {
  opportunities(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount edges { node { id name amount expectedCloseDate } } pageInfo { hasNextPage endCursor } } }`;
const NESTED = `{ opportunities(first: 60) { edges { node { id account { name sites { id } } site { id } stage { name } stageHistory { id } } } } }`;
const WITH_LEADS = `{ opportunities(first: 60) { edges { node { id lead { id } } } } }`;

let org: SalesOrg;
const acct = {} as Record<'rep1' | 'rep2' | 'mgr', { id: string; siteId: string }>;

const newAccount = async (who: 'rep1' | 'rep2' | 'mgr', name: string) => {
  const a = (
    await org.ok(who, CREATE_ACCOUNT, {
      input: { kind: 'RESIDENTIAL', name, contacts: [{ firstName: name, lastName: 'X' }], sites: [{}] },
    })
  ).createAccount.account;
  return { id: a.id as string, siteId: a.sites[0].id as string };
};
const newOpp = async (who: 'rep1' | 'rep2' | 'mgr', input: Record<string, unknown>) =>
  (await org.ok(who, CREATE, { input })).createOpportunity.opportunity;

beforeAll(async () => {
  org = await startSalesOrg();
  for (const who of ['rep1', 'rep2', 'mgr'] as const) acct[who] = await newAccount(who, `Acct ${who}`);
});
afterAll(async () => {
  await org?.close();
});

describe('opportunities in the pipeline', () => {
  it('start in the first stage with its probability, owned by the creator in their team', async () => {
    const o = await newOpp('rep1', { name: 'Solar 1', accountId: acct.rep1.id, amount: 30000 });
    expect(o).toMatchObject({
      stage: { id: 'qualification' },
      probability: 10,
      amount: 30000,
      weightedAmount: 3000,
      ownerId: U.rep1,
      unitId: org.units.phxA,
    });
  });

  it('move through stages with history; lost needs a reason; closed ones stay closed', async () => {
    const o = await newOpp('rep1', { name: 'Solar 2', accountId: acct.rep1.id, siteId: acct.rep1.siteId });
    const moved = (await org.ok('rep1', MOVE, { id: o.id, s: 'design' })).moveOpportunity.opportunity;
    expect(moved).toMatchObject({ stage: { id: 'design' }, probability: 40, closedAt: null });
    expect(moved.stageHistory.map((h: { toStage: { id: string } }) => h.toStage.id)).toEqual([
      'qualification',
      'design',
    ]);
    expect(await org.code('rep1', MOVE, { id: o.id, s: 'lost' })).toBe('VALIDATION_FAILED');
    expect(await org.code('rep1', MOVE, { id: o.id, s: 'nowhere' })).toBe('VALIDATION_FAILED');
    const lost = (await org.ok('rep1', LOST, { id: o.id, r: 'Went with a competitor' })).markLost.opportunity;
    expect(lost).toEqual({ stage: { kind: 'LOST' }, lostReason: 'Went with a competitor' });
    expect(await org.code('rep1', WON, { id: o.id })).toBe('CONFLICT');
    expect(await org.code('rep1', MOVE, { id: o.id, s: 'proposal' })).toBe('CONFLICT');
  });

  it('refuse a site of another account and accounts the caller cannot see', async () => {
    expect(
      await org.code('rep1', CREATE, {
        input: { name: 'X', accountId: acct.rep1.id, siteId: acct.rep2.siteId },
      }),
    ).toBe('VALIDATION_FAILED');
    expect(await org.code('rep1', CREATE, { input: { name: 'X', accountId: acct.rep2.id } })).toBe(
      'VALIDATION_FAILED',
    );
    expect(await org.code('nobody', CREATE, { input: { name: 'X', accountId: acct.rep2.id } })).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('only the rep, their manager or an admin move an opportunity', async () => {
    const o = await newOpp('rep2', { name: 'Solar 3', accountId: acct.rep2.id });
    expect(await org.code('rep1', MOVE, { id: o.id, s: 'design' })).toBe('NOT_FOUND');
    expect(await org.code('analyst', MOVE, { id: o.id, s: 'design' })).toBe('FORBIDDEN');
    expect(await org.code('mgr', MOVE, { id: o.id, s: 'site_survey' })).toBe('OK');
    expect(await org.code('rep2', WON, { id: o.id })).toBe('OK');
  });
});

describe('pipeline summary, scoped', () => {
  it('counts, values and win rate over what each viewer can see', async () => {
    await newOpp('rep2', { name: 'Solar 4', accountId: acct.rep2.id, amount: 10000, stageId: 'proposal' });
    const byStage = (p: { stages: Array<{ stage: { id: string }; count: number; value: number }> }) =>
      Object.fromEntries(p.stages.filter((s) => s.count).map((s) => [s.stage.id, [s.count, s.value]]));
    const rep1 = (await org.ok('rep1', PIPELINE)).pipeline;
    expect(byStage(rep1)).toEqual({ qualification: [1, 30000], lost: [1, 0] });
    expect(rep1.winRate).toBe(0);
    const rep2 = (await org.ok('rep2', PIPELINE)).pipeline;
    expect(byStage(rep2)).toEqual({ proposal: [1, 10000], won: [1, 0] });
    expect([rep2.openValue, rep2.weightedValue, rep2.winRate]).toEqual([10000, 6000, 1]);
    const mgr = (await org.ok('mgr', PIPELINE)).pipeline;
    expect(mgr.openCount).toBe(2);
    expect(mgr.winRate).toBe(0.5);
    expect((await org.ok('nobody', PIPELINE)).pipeline.openCount).toBe(0);
  });
});

describe('pipeline configuration', () => {
  it('admins add, rename and reorder open stages; won and lost stay last; others are refused', async () => {
    const add = `mutation { createPipelineStage(input: { name: "Financing", probability: 70, position: 5 }) { id position } }`;
    expect(await org.code('mgr', add)).toBe('FORBIDDEN');
    const stage = (await org.ok('admin', add)).createPipelineStage;
    expect(stage.position).toBe(5);
    expect(await org.code('admin', add)).toBe('CONFLICT');
    await org.ok(
      'admin',
      `mutation($id: ID!) { updatePipelineStage(id: $id, input: { name: "Site visit" }) { id } }`,
      {
        id: 'site_survey',
      },
    );
    expect(
      await org.code(
        'admin',
        `mutation { updatePipelineStage(id: "won", input: { probability: 50 }) { id } }`,
      ),
    ).toBe('VALIDATION_FAILED');
    const order = ['design', 'qualification', 'site_survey', 'proposal', stage.id, 'negotiation'];
    await org.ok('admin', `mutation($o: [ID!]!) { reorderPipelineStages(openStageIds: $o) { id } }`, {
      o: order,
    });
    const stages = (await org.ok('rep1', '{ pipelineStages { id name kind } }')).pipelineStages;
    expect(stages.map((s: { id: string }) => s.id)).toEqual([...order, 'won', 'lost']);
    expect(stages[2].name).toBe('Site visit');
    expect(
      await org.code('admin', `mutation { reorderPipelineStages(openStageIds: ["design"]) { id } }`),
    ).toBe('VALIDATION_FAILED');
  });
});

describe('listing opportunities', () => {
  it('filters by stage, owner and close date; sorts by amount with stable paging', async () => {
    for (const [i, amount] of [5000, 20000, 12000, 8000].entries())
      await newOpp('rep1', {
        name: `Listed ${i}`,
        accountId: acct.rep1.id,
        amount,
        expectedCloseDate: `2027-0${i + 1}-15`,
      });
    const closing = (
      await org.ok('rep1', LIST, { filter: { closingBefore: '2027-03-01', search: 'Listed' } })
    ).opportunities;
    expect(closing.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual([
      'Listed 0',
      'Listed 1',
    ]);
    const amounts: number[] = [];
    let after: string | null = null;
    do {
      const page: {
        edges: Array<{ node: { amount: number } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      } = (
        await org.ok('rep1', LIST, {
          first: 3,
          after,
          filter: { search: 'Listed' },
          sort: { field: 'AMOUNT', direction: 'DESC' },
        })
      ).opportunities;
      amounts.push(...page.edges.map((e) => e.node.amount));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(amounts).toEqual([20000, 12000, 8000, 5000]);
    expect((await org.ok('admin', LIST, { filter: { ownerId: [U.rep2] } })).opportunities.totalCount).toBe(2);
    expect(
      (await org.ok('admin', LIST, { filter: { stageId: ['won', 'lost'] } })).opportunities.totalCount,
    ).toBe(2);
  });
});

describe('nested relations', () => {
  it('return null instead of leaking an account the viewer may not see', async () => {
    // the manager sells into rep2's account, then the account moves to Tucson: out of the manager's sight
    const o = await newOpp('mgr', { name: 'Cross', accountId: acct.rep2.id, siteId: acct.rep2.siteId });
    await org.ok(
      'admin',
      `mutation($id: ID!, $i: AssignAccountInput!) { assignAccount(id: $id, input: $i) { account { id } } }`,
      {
        id: acct.rep2.id,
        i: { ownerId: U.rep3, unitId: org.units.tucA },
      },
    );
    const got = (
      await org.ok('mgr', `query($id: ID!) { opportunity(id: $id) { id account { id } site { id } } }`, {
        id: o.id,
      })
    ).opportunity;
    expect(got).toEqual({ id: o.id, account: null, site: null });
    await org.ok(
      'admin',
      `mutation($id: ID!, $i: AssignAccountInput!) { assignAccount(id: $id, input: $i) { account { id } } }`,
      {
        id: acct.rep2.id,
        i: { ownerId: U.rep2, unitId: org.units.phxB },
      },
    );
  });

  it('a page of 50 costs the same number of queries as a page of 5 (batched loads)', async () => {
    const pool = org.rt.runtime.pools.get({
      tenantId: org.tenant.id,
      schema: org.tenant.schema,
      user: org.tenant.user,
      password: org.tenant.password,
    });
    let queries = 0;
    pool.on('query', () => void queries++);
    const count = async (query = NESTED) => {
      queries = 0;
      const data = await org.ok('admin', query);
      const edges = data.opportunities.edges as Array<{ node: { lead?: { id: string } | null } }>;
      return { queries, n: edges.length, leads: edges.filter((e) => e.node.lead).length };
    };
    const small = await count();
    let smallWithLeads = { queries: 0, n: 0, leads: 0 };
    const accounts = await Promise.all(Array.from({ length: 5 }, (_, i) => newAccount('mgr', `Bulk ${i}`)));
    for (let i = 0; i < Math.max(50, 55 - small.n); i++) {
      const a = accounts[i % accounts.length]!;
      // each from its own lead, so Opportunity.lead must batch too
      const lead = (
        await org.ok('mgr', `mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } } }`, {
          i: { firstName: `Bulk${i}`, lastName: 'Lead', source: 'REFERRAL' },
        })
      ).createLead.lead.id as string;
      await newOpp('mgr', { name: `Bulk ${i}`, accountId: a.id, siteId: a.siteId, leadId: lead });
      if (i === 1) smallWithLeads = await count(WITH_LEADS);
    }
    const big = await count();
    expect(big.n).toBeGreaterThanOrEqual(50);
    const bigWithLeads = await count(WITH_LEADS);
    expect(bigWithLeads.leads).toBeGreaterThanOrEqual(50);
    expect(smallWithLeads.leads).toBe(2);
    expect(bigWithLeads.queries).toBe(smallWithLeads.queries);
    expect(big.queries).toBe(small.queries);
  });
});
