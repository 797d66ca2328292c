import type { TestTenant } from '@solar/operator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateLeadInput!) {
    createLead(input: $input) {
      lead {
        id
        firstName
        lastName
        fullName
        email
        phone
        country
        source
        status
        monthlyBill
        ownerId
        createdAt
        updatedAt
      }
    }
  }
`;
const GET = /* GraphQL */ `
  query Get($id: ID!) {
    lead(id: $id) {
      id
      fullName
      email
      source
      status
      monthlyBill
      createdAt
    }
  }
`;
const LIST = /* GraphQL */ `
  query List($first: Int, $after: String, $filter: LeadFilter) {
    leads(first: $first, after: $after, filter: $filter) {
      totalCount
      edges {
        cursor
        node {
          id
          fullName
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

const USER = '0190a000-0000-7000-8000-00000000beef';

let rt: TestRuntime;
let tenant: TestTenant;
let token: string;

const leadCount = async () =>
  Number(((await tenant.db('leads').count({ n: '*' }).first()) as { n: number }).n);

beforeAll(async () => {
  rt = await startTestRuntime();
  tenant = await rt.provisionTenant();
  token = await rt.tokenFor(tenant, { sub: USER });
});
afterAll(async () => {
  await rt?.close();
});

describe('creating and reading leads', () => {
  it('creates a lead owned by its creator and reads it back by id', async () => {
    const created = await rt.graphql(token, CREATE, {
      input: {
        firstName: ' Ada ',
        lastName: 'Lovelace',
        email: 'Ada@Example.com',
        phone: '+1 415 555 0100',
        source: 'WEB_FORM',
        monthlyBill: 182.456,
      },
    });
    expect(created.status).toBe(200);
    expect(created.body.errors).toBeUndefined();
    const lead = created.body.data.createLead.lead;
    expect(lead).toMatchObject({
      firstName: 'Ada',
      lastName: 'Lovelace',
      fullName: 'Ada Lovelace',
      email: 'ada@example.com',
      country: 'US',
      source: 'WEB_FORM',
      status: 'NEW',
      monthlyBill: 182.46,
      ownerId: USER,
    });
    expect(new Date(lead.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const read = await rt.graphql(token, GET, { id: lead.id });
    expect(read.body.data.lead).toMatchObject({ id: lead.id, fullName: 'Ada Lovelace', status: 'NEW' });
    const stored = await tenant.db('leads').where({ id: lead.id }).first();
    expect(stored).toMatchObject({ created_by: USER, owner_id: USER, source: 'web_form', status: 'new' });
  });

  it('answers null for a lead that does not exist', async () => {
    const missing = await rt.graphql(token, GET, { id: '0190a000-0000-7000-8000-0000000000ff' });
    expect(missing.status).toBe(200);
    expect(missing.body.data.lead).toBeNull();
    const garbage = await rt.graphql(token, GET, { id: 'not-an-id' });
    expect(garbage.body.data.lead).toBeNull();
  });

  it('tells the caller who they are, from the token', async () => {
    const res = await rt.graphql(token, '{ viewer { userId tenantId tenantSlug } }');
    expect(res.body.data.viewer).toEqual({ userId: USER, tenantId: tenant.id, tenantSlug: tenant.slug });
  });
});

describe('listing leads', () => {
  let pagingTenant: TestTenant;
  let pagingToken: string;
  const names = ['Alma', 'Bo', 'Cyd', 'Dee', 'Eli', 'Fay', 'Gus'];
  const created: string[] = [];

  beforeAll(async () => {
    pagingTenant = await rt.provisionTenant();
    pagingToken = await rt.tokenFor(pagingTenant);
    for (const [i, firstName] of names.entries()) {
      const res = await rt.graphql(pagingToken, CREATE, {
        input: {
          firstName,
          lastName: i % 2 ? 'Odd' : 'Even',
          city: i === 3 ? 'San Francisco' : 'Austin',
          email: `${firstName.toLowerCase()}@example.com`,
          source: 'REFERRAL',
        },
      });
      created.push(res.body.data.createLead.lead.id);
    }
  });

  it('pages newest first with cursors, with no duplicates or gaps', async () => {
    const seen: string[] = [];
    const pages: Array<{ size: number; hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number }> =
      [];
    let after: string | null = null;
    do {
      const res = await rt.graphql(pagingToken, LIST, { first: 3, after });
      expect(res.status).toBe(200);
      const conn = res.body.data.leads;
      seen.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
      pages.push({
        size: conn.edges.length,
        hasNextPage: conn.pageInfo.hasNextPage,
        hasPreviousPage: conn.pageInfo.hasPreviousPage,
        totalCount: conn.totalCount,
      });
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)?.cursor ?? null);
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);

    expect(pages).toEqual([
      { size: 3, hasNextPage: true, hasPreviousPage: false, totalCount: 7 },
      { size: 3, hasNextPage: true, hasPreviousPage: true, totalCount: 7 },
      { size: 1, hasNextPage: false, hasPreviousPage: true, totalCount: 7 },
    ]);
    expect(seen).toEqual([...created].reverse());
  });

  it('filters by status and searches names, emails and cities by prefix', async () => {
    const search = async (term: string) => {
      const res = await rt.graphql(pagingToken, LIST, { filter: { search: term } });
      expect(res.status).toBe(200);
      return res.body.data.leads.edges.map((e: { node: { fullName: string } }) => e.node.fullName);
    };
    expect(await search('odd')).toEqual(['Fay Odd', 'Dee Odd', 'Bo Odd']);
    expect(await search('san fr')).toEqual(['Dee Odd']);
    expect(await search('gus@')).toEqual(['Gus Even']);
    expect(await search('Cyd Ev')).toEqual(['Cyd Even']);
    // LIKE wildcards typed by the user match literally, not everything
    expect(await search('%')).toEqual([]);
    expect(await search('_')).toEqual([]);

    const qualified = await rt.graphql(pagingToken, LIST, { filter: { status: ['QUALIFIED'] } });
    expect(qualified.body.data.leads).toMatchObject({ totalCount: 0, edges: [] });
    const fresh = await rt.graphql(pagingToken, LIST, { filter: { status: ['NEW', 'CONTACTED'] } });
    expect(fresh.body.data.leads.totalCount).toBe(7);
  });

  it('refuses page sizes outside 1..100 and cursors it did not issue', async () => {
    for (const first of [0, 101, -5]) {
      const res = await rt.graphql(pagingToken, LIST, { first });
      expect(res.status).toBe(400);
      expect(res.body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.errors[0].extensions.fields)).toEqual(['first']);
    }
    const forged = await rt.graphql(pagingToken, LIST, { after: 'bm90LWEtY3Vyc29y' });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].extensions.fields).toEqual({ after: ['Not a valid cursor'] });
  });
});

describe('bad input', () => {
  it('answers 400 with field-level messages and writes nothing', async () => {
    const before = await leadCount();
    const res = await rt.graphql(token, CREATE, {
      input: {
        firstName: '   ',
        lastName: 'Doe',
        email: 'not-an-email',
        phone: 'call me',
        country: 'XX',
        source: 'EVENT',
        monthlyBill: -10,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeNull();
    expect(res.body.errors).toHaveLength(1);
    const { extensions } = res.body.errors[0];
    expect(extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(extensions.fields).sort()).toEqual([
      'input.country',
      'input.email',
      'input.firstName',
      'input.monthlyBill',
      'input.phone',
    ]);
    expect(extensions.fields['input.email']).toEqual(['Must be a valid email address']);
    expect(extensions.fields['input.monthlyBill']).toEqual(['Must be at least 0']);
    expect(await leadCount()).toBe(before);
  });

  it('answers 400 when required fields are missing, whether inline or in variables', async () => {
    const before = await leadCount();
    const inVariables = await rt.graphql(token, CREATE, { input: { firstName: 'No', source: 'OTHER' } });
    expect(inVariables.status).toBe(400);
    expect(inVariables.body.errors[0].message).toContain('lastName');

    const inline = await rt.graphql(
      token,
      'mutation { createLead(input: { firstName: "No" }) { lead { id } } }',
    );
    expect(inline.status).toBe(400);
    expect(inline.body.errors.map((e: { message: string }) => e.message).join('\n')).toMatch(
      /lastName[\s\S]*source|source[\s\S]*lastName/,
    );

    const unknownField = await rt.graphql(token, '{ leads { edges { node { ssn } } } }');
    expect(unknownField.status).toBe(400);
    expect(await leadCount()).toBe(before);
  });

  it('refuses a body over the size limit with 413, before parsing it', async () => {
    const before = await leadCount();
    const res = await rt.graphql(token, CREATE, {
      input: { firstName: 'Big', lastName: 'Body', source: 'OTHER', notes: 'x'.repeat(8 * 1024 * 1024 + 1) },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await leadCount()).toBe(before);
  });

  it('refuses queries nested or aliased beyond the armor limits', async () => {
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: viewer { userId }`).join(' ');
    const aliased = await rt.graphql(token, `{ ${aliases} }`);
    expect(aliased.status).toBe(400);
    expect(aliased.body.errors[0].message).toMatch(/aliases/i);

    const deep = await rt.graphql(
      token,
      `{ leads { ${'edges { node { id } } '.repeat(1)} pageInfo { ${'hasNextPage '.repeat(2100)} } } }`,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0].message).toMatch(/token/i);
  });
});
