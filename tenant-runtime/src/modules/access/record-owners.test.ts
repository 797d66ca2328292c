import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg } from '../customers/sales-org.fixture.js';

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`;
const LIST = `{ leads(first: 50) { edges { node { id owner { id displayName } lastActivityAt } } } }`;

let org: SalesOrg;
beforeAll(async () => {
  org = await startSalesOrg();
});
afterAll(async () => {
  await org?.close();
});

describe('who owns a record', () => {
  it("a rep sees the owner's name on a lead they can see, without reading the member directory", async () => {
    const created = await org.ok('rep1', CREATE_LEAD, {
      input: { firstName: 'Olive', lastName: 'Owner', source: 'WEB_FORM' },
    });
    const id = created.createLead.lead.id as string;
    const lead = (
      await org.ok('rep1', `query($id: ID!) { lead(id: $id) { owner { id displayName } } }`, { id })
    ).lead;
    expect(lead.owner.id).toBe(U.rep1);
    expect(typeof lead.owner.displayName).toBe('string');
    // the directory with memberships and roles stays behind access:read
    expect(await org.code('rep1', '{ members { id } }')).toBe('FORBIDDEN');
  });

  it('a page of 50 leads with owner and last activity costs the same queries as a page of 5', async () => {
    const pool = org.rt.runtime.pools.get({
      tenantId: org.tenant.id,
      schema: org.tenant.schema,
      user: org.tenant.user,
      password: org.tenant.password,
    });
    let queries = 0;
    const count = () => void queries++;
    pool.on('query', count);
    const measure = async () => {
      queries = 0;
      const data = await org.ok('admin', LIST);
      return { queries, n: data.leads.edges.length as number };
    };
    try {
      await measure(); // warms the admin's cached permissions, which a later request would not re-read
      const small = await measure();
      const owners = ['rep1', 'rep2', 'rep3', 'mgr'] as const;
      for (let i = 0; small.n + i < 55; i++)
        await org.ok(owners[i % owners.length]!, CREATE_LEAD, {
          input: { firstName: `Bulk${i}`, lastName: 'Lead', source: 'REFERRAL' },
        });
      const big = await measure();
      expect(big.n).toBe(50);
      expect(big.queries).toBe(small.queries);
    } finally {
      pool.off('query', count);
    }
  });
});
