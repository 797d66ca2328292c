import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowScopeBypassed } from '../../engine/data/scope-guard.js';
import { startSalesOrg, U, type SalesOrg, type Who } from './sales-org.fixture.js';

const CREATE = `mutation($input: CreateAccountInput!) {
  createAccount(input: $input) { account { id kind name ownerId unitId
    contacts { id fullName email isPrimary } primaryContact { fullName }
    sites { id label city latitude roofType roofAzimuthDeg shading annualUsageKwh averageMonthlyBill } } } }`;
const GET = `query($id: ID!) { account(id: $id) { id name contacts { id } sites { id } } }`;
const LIST = `query($filter: AccountFilter, $sort: AccountSort, $first: Int, $after: String) {
  accounts(first: $first, after: $after, filter: $filter, sort: $sort) {
    totalCount edges { node { id name } } pageInfo { hasNextPage endCursor } } }`;
const SITE = `query($id: ID!) { site(id: $id) { id account { id } } }`;
const CONTACT = `query($id: ID!) { contact(id: $id) { id } }`;
const ADD_CONTACT = `mutation($a: ID!, $i: ContactInput!) { addContact(accountId: $a, input: $i) { contact { id isPrimary } } }`;
const UPDATE_SITE = `mutation($id: ID!, $i: UpdateSiteInput!) { updateSite(id: $id, input: $i) { site { id shading } } }`;
const ASSIGN = `mutation($id: ID!, $i: AssignAccountInput!) { assignAccount(id: $id, input: $i) { account { ownerId unitId } } }`;

let org: SalesOrg;
type Made = { id: string; contacts: Array<{ id: string }>; sites: Array<{ id: string }> };
const made = {} as Record<'r1' | 'r2' | 'r3', Made>;

const account = (name: string, city = 'Phoenix') => ({
  kind: 'RESIDENTIAL',
  name,
  billingCity: city,
  contacts: [{ firstName: name, lastName: 'Owner', email: `${name.toLowerCase()}@example.com` }],
  sites: [{ label: 'Home', city, latitude: 33.45, longitude: -112.07, shading: 'LIGHT' }],
});

beforeAll(async () => {
  org = await startSalesOrg();
  for (const [key, who] of [
    ['r1', 'rep1'],
    ['r2', 'rep2'],
    ['r3', 'rep3'],
  ] as const)
    made[key] = (await org.ok(who, CREATE, { input: account(`Acct${key}`) })).createAccount.account;
});
afterAll(async () => {
  await org?.close();
});

describe('creating an account', () => {
  it('stores the account with its contacts and sites, in the creator’s team, first contact primary', async () => {
    const a = (
      await org.ok('rep1', CREATE, {
        input: {
          kind: 'COMMERCIAL',
          name: 'Desert Foods Inc',
          contacts: [
            { firstName: 'Ann', lastName: 'Buyer', email: 'ANN@Desert.example', phone: '+1 602 555 0100' },
            { firstName: 'Bo', lastName: 'Facilities' },
          ],
          sites: [
            {
              label: 'Warehouse',
              roofType: 'FLAT_MEMBRANE',
              roofAzimuthDeg: 180,
              shading: 'NONE',
              annualUsageKwh: 250000,
              averageMonthlyBill: 3100.456,
            },
          ],
        },
      })
    ).createAccount.account;
    expect(a).toMatchObject({ kind: 'COMMERCIAL', ownerId: U.rep1, unitId: org.units.phxA });
    expect(a.contacts).toEqual([
      expect.objectContaining({ fullName: 'Ann Buyer', email: 'ann@desert.example', isPrimary: true }),
      expect.objectContaining({ fullName: 'Bo Facilities', isPrimary: false }),
    ]);
    expect(a.primaryContact.fullName).toBe('Ann Buyer');
    expect(a.sites[0]).toMatchObject({
      roofType: 'FLAT_MEMBRANE',
      roofAzimuthDeg: 180,
      shading: 'NONE',
      annualUsageKwh: 250000,
      averageMonthlyBill: 3100.46,
    });
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const before = (await org.ok('admin', LIST)).accounts.totalCount;
    const res = await org.gql('rep1', CREATE, {
      input: {
        kind: 'RESIDENTIAL',
        name: ' ',
        contacts: [{ firstName: 'X', lastName: 'Y', email: 'not-an-email', phone: '12' }],
        sites: [{ latitude: 91, roofPitchDeg: 95, annualUsageKwh: -1 }],
      },
    });
    expect(res.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(res.errors[0].extensions.fields).sort()).toEqual([
      'input.contacts.0.email',
      'input.contacts.0.phone',
      'input.name',
      'input.sites.0.annualUsageKwh',
      'input.sites.0.latitude',
      'input.sites.0.roofPitchDeg',
    ]);
    expect((await org.ok('admin', LIST)).accounts.totalCount).toBe(before);
  });

  it('is refused to members without a customers role', async () => {
    expect(await org.code('nobody', CREATE, { input: account('Nope') })).toBe('FORBIDDEN');
  });
});

describe('who sees which customers (accounts, and their contacts and sites with them)', () => {
  const SEES: Record<Who, Array<keyof typeof made>> = {
    admin: ['r1', 'r2', 'r3'],
    mgr: ['r1', 'r2'],
    rep1: ['r1'],
    rep2: ['r2'],
    rep3: ['r3'],
    analyst: ['r1', 'r2', 'r3'],
    nobody: [],
  };
  it.each(Object.keys(SEES) as Who[])('%s: lists, search, by id and nested all agree', async (who) => {
    const ids = new Set(
      (await org.ok(who, LIST, { filter: { search: 'Acct' } })).accounts.edges.map(
        (e: { node: { id: string } }) => e.node.id,
      ),
    );
    expect((Object.keys(made) as Array<keyof typeof made>).filter((k) => ids.has(made[k].id))).toEqual(
      SEES[who],
    );
    for (const key of Object.keys(made) as Array<keyof typeof made>) {
      const seen = SEES[who].includes(key);
      const got = (await org.ok(who, GET, { id: made[key].id })).account;
      expect(got === null ? 'hidden' : 'seen', `${who} account ${key}`).toBe(seen ? 'seen' : 'hidden');
      if (got) expect([got.contacts.length, got.sites.length]).toEqual([1, 1]);
      // a hidden account's contacts and sites are hidden too, asked for directly
      const site = (await org.ok(who, SITE, { id: made[key].sites[0]!.id })).site;
      const contact = (await org.ok(who, CONTACT, { id: made[key].contacts[0]!.id })).contact;
      expect([site === null, contact === null], `${who} children of ${key}`).toEqual([!seen, !seen]);
    }
  });
});

describe('changing customers', () => {
  it('contacts and sites change with the account’s rights: rep on own, manager below, others refused', async () => {
    const siteOf = (k: keyof typeof made) => made[k].sites[0]!.id;
    expect(await org.code('rep1', UPDATE_SITE, { id: siteOf('r1'), i: { shading: 'HEAVY' } })).toBe('OK');
    expect(await org.code('rep1', UPDATE_SITE, { id: siteOf('r2'), i: { shading: 'HEAVY' } })).toBe(
      'NOT_FOUND',
    );
    expect(await org.code('mgr', UPDATE_SITE, { id: siteOf('r2'), i: { shading: 'MODERATE' } })).toBe('OK');
    expect(await org.code('analyst', UPDATE_SITE, { id: siteOf('r3'), i: { shading: 'NONE' } })).toBe(
      'FORBIDDEN',
    );
    expect(
      await org.code('rep2', ADD_CONTACT, { a: made.r1.id, i: { firstName: 'Sneaky', lastName: 'Add' } }),
    ).toBe('NOT_FOUND');
  });

  it('a new primary contact demotes the old one', async () => {
    const added = (
      await org.ok('rep1', ADD_CONTACT, {
        a: made.r1.id,
        i: { firstName: 'New', lastName: 'Primary', isPrimary: true },
      })
    ).addContact.contact;
    expect(added.isPrimary).toBe(true);
    const a = (
      await org.ok('rep1', `query($id: ID!) { account(id: $id) { contacts { id isPrimary } } }`, {
        id: made.r1.id,
      })
    ).account;
    expect(
      a.contacts.filter((c: { isPrimary: boolean }) => c.isPrimary).map((c: { id: string }) => c.id),
    ).toEqual([added.id]);
  });

  it('reassigning an account moves its contacts and sites with it; outside scope is refused', async () => {
    expect(await org.code('rep1', ASSIGN, { id: made.r1.id, i: { unitId: org.units.tucA } })).toBe(
      'OUT_OF_SCOPE',
    );
    expect(await org.code('mgr', ASSIGN, { id: made.r2.id, i: { ownerId: U.rep3 } })).toBe('OUT_OF_SCOPE');
    await org.ok('mgr', ASSIGN, { id: made.r2.id, i: { ownerId: U.rep1, unitId: org.units.phxA } });
    const got = (await org.ok('rep1', GET, { id: made.r2.id })).account;
    expect([got.contacts.length, got.sites.length]).toEqual([1, 1]);
    expect((await org.ok('rep2', GET, { id: made.r2.id })).account).toBeNull();
    expect((await org.ok('rep2', SITE, { id: made.r2.sites[0]!.id })).site).toBeNull();
    await org.ok('mgr', ASSIGN, { id: made.r2.id, i: { ownerId: U.rep2, unitId: org.units.phxB } });
    expect((await org.ok('rep2', SITE, { id: made.r2.sites[0]!.id })).site).not.toBeNull();
  });
});

describe('listing accounts', () => {
  it('sorts by name both ways and pages without gaps or repeats', async () => {
    const names = async (direction: string) => {
      const out: string[] = [];
      let after: string | null = null;
      do {
        const page: {
          edges: Array<{ node: { name: string } }>;
          pageInfo: { hasNextPage: boolean; endCursor: string };
        } = (await org.ok('admin', LIST, { first: 2, after, sort: { field: 'NAME', direction } })).accounts;
        out.push(...page.edges.map((e) => e.node.name));
        after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      return out;
    };
    const asc = await names('ASC');
    expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b)));
    expect(asc.length).toBe((await org.ok('admin', LIST)).accounts.totalCount);
    expect(await names('DESC')).toEqual([...asc].reverse());
  });

  it('filters by kind and owner', async () => {
    const list = (await org.ok('admin', LIST, { filter: { kind: ['COMMERCIAL'] } })).accounts;
    expect(list.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Desert Foods Inc']);
    expect((await org.ok('admin', LIST, { filter: { ownerId: [U.rep3] } })).accounts.totalCount).toBe(1);
  });
});

describe('the raw-query guard', () => {
  it('covers accounts, contacts and sites', async () => {
    const pool = org.rt.runtime.pools.get({
      tenantId: org.tenant.id,
      schema: org.tenant.schema,
      user: org.tenant.user,
      password: org.tenant.password,
    });
    for (const table of ['accounts', 'contacts', 'sites'])
      await expect(pool(table).select('id')).rejects.toThrow(RowScopeBypassed);
  });
});
