import { createDb, type Knex } from '@solar/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg, type Who } from '../customers/sales-org.fixture.js';

const CREATE_LEAD = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`;
const CONVERT = `mutation($input: ConvertLeadInput!) { convertLead(input: $input) {
  account { id kind name ownerId unitId sourceLeadId primaryContact { fullName email phone } }
  site { id label street city postalCode averageMonthlyBill account { id } }
  opportunity { id name amount stage { id } probability ownerId lead { id } account { id } site { id } }
  lead { id status } } }`;

let org: SalesOrg;
let root: Knex;

const lead = async (who: Who, extra: Record<string, unknown> = {}) =>
  (
    await org.ok(who, CREATE_LEAD, {
      input: {
        firstName: 'Maria',
        lastName: 'Garcia',
        email: 'maria@example.com',
        phone: '+1 602 555 0199',
        street: '12 Sun Way',
        city: 'Phoenix',
        region: 'AZ',
        postalCode: '85001',
        source: 'REFERRAL',
        monthlyBill: 180.5,
        ...extra,
      },
    })
  ).createLead.lead.id as string;

/** Rows in the sales tables, read as root (around the runtime), to prove nothing was half-written. */
const counts = async () => {
  const out: Record<string, number> = {};
  for (const t of ['accounts', 'contacts', 'sites', 'opportunities', 'opportunity_stage_history']) {
    const [row] = (await root(t).count({ n: '*' })) as Array<{ n: number }>;
    out[t] = Number(row!.n);
  }
  return out;
};

beforeAll(async () => {
  org = await startSalesOrg();
  root = createDb({ url: 'mysql://root@127.0.0.1:3306/', database: org.tenant.schema, pool: { max: 1 } });
});
afterAll(async () => {
  await root?.destroy();
  await org?.close();
});

describe('converting a lead', () => {
  it('creates the account with the lead as primary contact, a site at its address and a first-stage opportunity', async () => {
    const id = await lead('rep1');
    const c = (await org.ok('rep1', CONVERT, { input: { leadId: id, amount: 24000 } })).convertLead;
    expect(c.account).toMatchObject({
      kind: 'RESIDENTIAL',
      name: 'Maria Garcia',
      ownerId: U.rep1,
      unitId: org.units.phxA,
      sourceLeadId: id,
      primaryContact: { fullName: 'Maria Garcia', email: 'maria@example.com', phone: '+1 602 555 0199' },
    });
    expect(c.site).toMatchObject({
      street: '12 Sun Way',
      city: 'Phoenix',
      postalCode: '85001',
      averageMonthlyBill: 180.5,
      account: { id: c.account.id },
    });
    expect(c.opportunity).toMatchObject({
      name: 'Maria Garcia solar',
      amount: 24000,
      stage: { id: 'qualification' },
      probability: 10,
      ownerId: U.rep1,
      lead: { id },
      account: { id: c.account.id },
      site: { id: c.site.id },
    });
    expect(c.lead).toEqual({ id, status: 'CONVERTED' });
    const [links] = (await root('leads')
      .where({ id })
      .select('converted_account_id', 'converted_opportunity_id')) as Array<Record<string, string>>;
    expect(links).toEqual({ converted_account_id: c.account.id, converted_opportunity_id: c.opportunity.id });
  });

  it('names a business lead’s account after the company, or as asked', async () => {
    const a = await lead('rep1', { company: 'Sunny Farms LLC' });
    expect((await org.ok('rep1', CONVERT, { input: { leadId: a } })).convertLead.account).toMatchObject({
      kind: 'COMMERCIAL',
      name: 'Sunny Farms LLC',
    });
    const b = await lead('rep1');
    const c = (
      await org.ok('rep1', CONVERT, {
        input: { leadId: b, accountName: 'Garcia home', opportunityName: '9 kW roof' },
      })
    ).convertLead;
    expect([c.account.name, c.opportunity.name]).toEqual(['Garcia home', '9 kW roof']);
  });

  it('twice → CONFLICT, and nothing more is created', async () => {
    const id = await lead('rep1');
    await org.ok('rep1', CONVERT, { input: { leadId: id } });
    const before = await counts();
    expect(await org.code('rep1', CONVERT, { input: { leadId: id } })).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
  });

  it('only by someone who may update the lead', async () => {
    const id = await lead('rep2');
    const before = await counts();
    expect(await org.code('rep1', CONVERT, { input: { leadId: id } })).toBe('NOT_FOUND');
    expect(await org.code('analyst', CONVERT, { input: { leadId: id } })).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    // rep2's manager may: the customer stays with rep2 in rep2's team
    const c = (await org.ok('mgr', CONVERT, { input: { leadId: id } })).convertLead;
    expect(c.account).toMatchObject({ ownerId: U.rep2, unitId: org.units.phxB });
    expect(
      (await org.ok('rep2', `query($id: ID!) { opportunity(id: $id) { id } }`, { id: c.opportunity.id }))
        .opportunity,
    ).not.toBeNull();
  });

  it('is atomic: when the opportunity cannot be written, nothing is created and the lead is unchanged', async () => {
    const id = await lead('rep1');
    const leadBefore = await root('leads').where({ id }).first();
    const before = await counts();
    await root.raw(
      "CREATE TRIGGER fail_opportunity BEFORE INSERT ON opportunities FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'",
    );
    try {
      const res = await org.gql('rep1', CONVERT, { input: { leadId: id } });
      expect(res.errors?.length).toBe(1);
    } finally {
      await root.raw('DROP TRIGGER fail_opportunity');
    }
    expect(await counts()).toEqual(before);
    expect(await root('leads').where({ id }).first()).toEqual(leadBefore);
    // and once the fault is gone the same lead converts
    expect(await org.code('rep1', CONVERT, { input: { leadId: id } })).toBe('OK');
  });

  it('refuses bad input without writing', async () => {
    const before = await counts();
    const res = await org.gql('rep1', CONVERT, { input: { leadId: 'nope', amount: -5 } });
    expect(res.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.errors[0].extensions.fields).sort()).toEqual(['input.amount', 'input.leadId']);
    expect(await counts()).toEqual(before);
  });
});
