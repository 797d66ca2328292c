/**
 * Tenant A's session trying every door into tenant B's rows, through the real front door: ids, cursors,
 * GraphQL variables, tenant headers, host spoofing, forwarded headers, API keys and cookies; and tenant
 * A's database user trying B's schema and the platform database directly. Every attempt fails, and the
 * failure tells A nothing about B's data.
 */
import { createDb } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import { testServerUrl } from '../src/testing/platform-db.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFrontDoor, type FrontDoor } from './front-door.fixture.js';

const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }`;
const GET = `query($id: ID!) { lead(id: $id) { id fullName } }`;
const LIST = `query($first: Int, $after: String) { leads(first: $first, after: $after) {
  totalCount pageInfo { endCursor } edges { node { id fullName } } } }`;

let door: FrontDoor;
let a: TestTenant;
let b: TestTenant;
let tokenA: string;
let tokenB: string;
const leadsOfB: string[] = [];
let cursorOfB: string;

const hostOf = (t: TestTenant) => `${t.slug}.${door.baseDomain}`;
const gql = (tenant: TestTenant, token: string, query: string, variables: object = {}, headers = {}) =>
  door.call('POST', '/graphql', { tenant, token, body: { query, variables }, headers });

beforeAll(async () => {
  door = await startFrontDoor({ tenants: 2 });
  [a, b] = door.tenants as [TestTenant, TestTenant];
  [tokenA, tokenB] = [await door.signIn(a), await door.signIn(b)];
  for (const name of ['Bea', 'Bo', 'Bram']) {
    const res = await gql(b, tokenB, CREATE, {
      input: { firstName: name, lastName: 'Private', source: 'REFERRAL' },
    });
    leadsOfB.push(res.body.data.createLead.lead.id);
  }
  const page = await gql(b, tokenB, LIST, { first: 1 });
  cursorOfB = page.body.data.leads.pageInfo.endCursor;
  await gql(a, tokenA, CREATE, { input: { firstName: 'Ann', lastName: 'Own', source: 'REFERRAL' } });
});
afterAll(async () => {
  await door?.close();
});

describe("tenant A's session cannot reach tenant B's rows", () => {
  it("by B's ids, in a query or a mutation: not found, exactly as for an id that never existed", async () => {
    const byId = await gql(a, tokenA, GET, { id: leadsOfB[0] });
    expect(byId.body.data.lead).toBeNull();
    const update = await gql(
      a,
      tokenA,
      `mutation($id: ID!) { updateLead(id: $id, input: { notes: "mine now" }) { lead { id } } }`,
      { id: leadsOfB[0] },
    );
    const never = await gql(
      a,
      tokenA,
      `mutation($id: ID!) { updateLead(id: $id, input: { notes: "mine now" }) { lead { id } } }`,
      { id: '0190a000-0000-7000-8000-00000000dead' },
    );
    expect(update.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(update.body.errors?.[0]?.message).toBe(never.body.errors?.[0]?.message);
    const stillB = await gql(b, tokenB, `query($id: ID!) { lead(id: $id) { notes } }`, { id: leadsOfB[0] });
    expect(stillB.body.data.lead.notes).toBeNull();
  });

  it("by B's cursor: the page continues in A's own leads only", async () => {
    const res = await gql(a, tokenA, LIST, { first: 50, after: cursorOfB });
    const ids: string[] = (res.body.data?.leads?.edges ?? []).map((e: { node: { id: string } }) => e.node.id);
    expect(ids.some((id) => leadsOfB.includes(id))).toBe(false);
    expect(JSON.stringify(res.body)).not.toMatch(/Private|Bea|Bram/);
  });

  it('by naming tenant B in variables or tenant headers: ignored, the session names the tenant', async () => {
    const spoofed = await gql(
      a,
      tokenA,
      GET,
      { id: leadsOfB[1], tenantId: b.id, tenant: b.slug },
      { 'x-tenant-id': b.id, 'x-forwarded-tenant': b.slug },
    );
    expect(spoofed.body.data.lead).toBeNull();
    const list = await gql(a, tokenA, LIST, { first: 50 });
    expect(list.body.data.leads.totalCount).toBe(1);
  });

  it("by presenting A's credentials for B (X-Tenant or B's host): refused outright", async () => {
    const viaHeader = await door.call('POST', '/graphql', {
      tenant: b,
      token: tokenA,
      body: { query: LIST },
    });
    expect(viaHeader.status).toBe(401);
    const viaHost = await door.call('POST', '/graphql', {
      host: hostOf(b),
      token: tokenA,
      body: { query: LIST },
    });
    expect(viaHost.status).toBe(401);

    const cookieOfA = await door.signInWithCookie(a);
    const cookieOnB = await door.call('POST', '/graphql', {
      host: hostOf(b),
      body: { query: LIST },
      headers: { cookie: `solar_session=${cookieOfA}`, origin: `http://${hostOf(b)}` },
    });
    expect(cookieOnB.status).toBe(401);
  });

  it("by host spoofing: a host naming B with X-Tenant A is a mismatch, and forwarded hosts aren't trusted", async () => {
    const mismatch = await door.call('POST', '/graphql', {
      host: hostOf(b),
      tenant: a,
      token: tokenA,
      body: { query: LIST },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('TENANT_MISMATCH');

    // TRUST_PROXY is off: X-Forwarded-Host cannot move A's request onto B
    const forwarded = await door.call('POST', '/graphql', {
      host: hostOf(a),
      token: tokenA,
      body: { query: LIST, variables: { first: 50 } },
      headers: { 'x-forwarded-host': hostOf(b) },
    });
    expect(forwarded.status).toBe(200);
    expect(forwarded.body.data.leads.totalCount).toBe(1);
  });

  it("by an API key of A used on B's host: refused", async () => {
    const created = await door.call('POST', '/auth/api-keys', {
      tenant: a,
      token: tokenA,
      body: { name: 'sync', scopes: ['*'] },
    });
    expect(created.status).toBe(201);
    const onA = await door.call('POST', '/graphql', {
      tenant: a,
      token: created.body.key,
      body: { query: LIST, variables: { first: 1 } },
    });
    expect(onA.status).toBe(200);
    const onB = await door.call('POST', '/graphql', {
      host: hostOf(b),
      token: created.body.key,
      body: { query: LIST, variables: { first: 1 } },
    });
    expect(onB.status).toBe(401);
  });
});

describe("tenant A's database user", () => {
  it("is refused on tenant B's schema and on the platform database", async () => {
    const poolA = createDb({ url: testServerUrl, user: a.user, password: a.password, database: a.schema });
    try {
      const [[own]] = (await poolA.raw('SELECT COUNT(*) AS n FROM leads')) as [[{ n: number }]];
      expect(Number(own.n)).toBe(1);
      await expect(poolA.raw(`SELECT id FROM \`${b.schema}\`.leads`)).rejects.toThrow(/denied/i);
      const platformTenants = `SELECT id, db_password_sealed FROM \`${door.rt.platform.name}\`.tenants`;
      await expect(door.rt.platform.db.raw(platformTenants)).resolves.toBeTruthy(); // it is there…
      await expect(poolA.raw(platformTenants)).rejects.toThrow(/denied/i); // …but not for A
      await expect(poolA.raw(`SELECT user, password FROM mysql.user`)).rejects.toThrow(/denied/i);
    } finally {
      await poolA.destroy();
    }
  });
});
