import type { TestTenant } from '@solar/operator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RowScopeBypassed, scopedQueryContext } from '../../engine/data/scope-guard.js';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

/*
 * Row-level security inside one tenant, end to end over HTTP: the default roles on a three-level org tree
 *
 *   West (region) ─┬─ Phoenix (branch) ─┬─ Phoenix A (team)   rep1, pm, tech
 *                  │                    └─ Phoenix B (team)   rep2
 *                  └─ Tucson (branch)  ─┬─ Tucson A (team)    rep3
 *                                       └─ Tucson B (team)
 *   mgr: sales_manager, manager of Phoenix (so its whole subtree)
 */

const id = (n: number) => `0190a000-0000-7000-8000-0000000000${n.toString(16).padStart(2, '0')}`;
const U = {
  admin: id(0xa0),
  mgr: id(0xa1),
  rep1: id(0xa2),
  rep2: id(0xa3),
  rep3: id(0xa4),
  pm: id(0xa5),
  tech: id(0xa6),
  support: id(0xa7),
  analyst: id(0xa8),
  nobody: id(0xa9),
} as const;
type Who = keyof typeof U;

let rt: TestRuntime;
let tenant: TestTenant;
const tokens = {} as Record<Who, string>;
const units = {} as Record<'west' | 'phx' | 'tuc' | 'phxA' | 'phxB' | 'tucA' | 'tucB', string>;
const leads = {} as Record<'r1a' | 'r1b' | 'r2' | 'r3' | 'adm' | 'tech', string>;
type LeadKey = keyof typeof leads;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
async function gql(who: Who, query: string, variables?: Record<string, unknown>): Promise<any> {
  return rt.graphql(tokens[who], query, variables);
}
/** data of a successful operation; fails the test with the errors otherwise */
async function ok(who: Who, query: string, variables?: Record<string, unknown>) {
  const res = await gql(who, query, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  return res.body.data;
}
const code = async (who: Who, query: string, variables?: Record<string, unknown>) =>
  (await gql(who, query, variables)).body.errors?.[0]?.extensions?.code ?? 'OK';

const CREATE = `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id unitId ownerId } } }`;
const ASSIGN = `mutation($id: ID!, $input: AssignLeadInput!) { assignLead(id: $id, input: $input) { lead { id ownerId unitId } } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { lead { id status } } }`;
const DELETE = `mutation($id: ID!) { deleteLead(id: $id) { deletedId } }`;
const LIST = `query($filter: LeadFilter) { leads(first: 100, filter: $filter) { totalCount edges { node { id } } } }`;
const GET = `query($id: ID!) { lead(id: $id) { id } }`;
const PAGE = `query($after: String) { leads(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`;
const STATS = `{ leadStats { total byStatus { status count } } }`;
const EXPORT = `{ exportLeads { rowCount truncated csv } }`;

const unit = async (kind: string, name: string, parentId?: string) =>
  (
    await ok('admin', `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }`, {
      i: { kind, name, parentId },
    })
  ).createOrgUnit.id as string;
const join = (memberId: string, unitId: string, position = 'MEMBER') =>
  ok('admin', `mutation($i: MembershipInput!) { addMembership(input: $i) { position } }`, {
    i: { memberId, unitId, position },
  });
const grant = (memberId: string, roleId: string, unitId?: string) =>
  ok('admin', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
    i: { memberId, roleId, unitId },
  });
const revoke = (memberId: string, roleId: string) =>
  ok('admin', `mutation($i: RoleGrantInput!) { revokeRole(input: $i) }`, { i: { memberId, roleId } });
const createLead = async (who: Who, firstName: string) =>
  (await ok(who, CREATE, { input: { firstName, lastName: 'Scope', source: 'REFERRAL' } })).createLead
    .lead as {
    id: string;
    unitId: string | null;
    ownerId: string;
  };
const visible = async (who: Who) =>
  new Set((await ok(who, LIST)).leads.edges.map((e: { node: { id: string } }) => e.node.id) as string[]);
const keysOf = (ids: Set<string>) =>
  (Object.keys(leads) as LeadKey[]).filter((k) => ids.has(leads[k])).sort();

beforeAll(async () => {
  rt = await startTestRuntime();
  tenant = await rt.provisionTenant();
  for (const who of Object.keys(U) as Who[]) tokens[who] = await rt.tokenFor(tenant, { sub: U[who] });
  // the first member of a fresh workspace becomes its admin; everyone else joins with no role
  await ok('admin', '{ viewer { userId } }');
  for (const who of Object.keys(U) as Who[]) await ok(who, '{ viewer { userId } }');

  units.west = await unit('REGION', 'West');
  units.phx = await unit('BRANCH', 'Phoenix', units.west);
  units.tuc = await unit('BRANCH', 'Tucson', units.west);
  units.phxA = await unit('TEAM', 'Phoenix A', units.phx);
  units.phxB = await unit('TEAM', 'Phoenix B', units.phx);
  units.tucA = await unit('TEAM', 'Tucson A', units.tuc);
  units.tucB = await unit('TEAM', 'Tucson B', units.tuc);

  await join(U.rep1, units.phxA);
  await join(U.pm, units.phxA);
  await join(U.tech, units.phxA);
  await join(U.rep2, units.phxB);
  await join(U.rep3, units.tucA);
  await join(U.mgr, units.phx, 'MANAGER');
  for (const who of ['rep1', 'rep2', 'rep3'] as const) await grant(U[who], 'sales_rep');
  await grant(U.mgr, 'sales_manager');
  await grant(U.pm, 'project_manager');
  await grant(U.tech, 'field_tech');
  await grant(U.support, 'support_agent');
  await grant(U.analyst, 'analyst');

  leads.r1a = (await createLead('rep1', 'Rep1a')).id;
  leads.r1b = (await createLead('rep1', 'Rep1b')).id;
  leads.r2 = (await createLead('rep2', 'Rep2')).id;
  leads.r3 = (await createLead('rep3', 'Rep3')).id;
  leads.adm = (await createLead('admin', 'Adm')).id;
  await ok('admin', ASSIGN, { id: leads.adm, input: { unitId: units.tucB } });
  leads.tech = (await createLead('admin', 'Tech')).id;
  await ok('admin', ASSIGN, { id: leads.tech, input: { ownerId: U.tech, unitId: units.phxA } });
});
afterAll(async () => {
  await rt?.close();
});

const ALL: LeadKey[] = ['adm', 'r1a', 'r1b', 'r2', 'r3', 'tech'];
/** who sees which leads with the default roles */
const SEES: Record<Who, LeadKey[]> = {
  admin: ALL,
  mgr: ['r1a', 'r1b', 'r2', 'tech'],
  rep1: ['r1a', 'r1b'],
  rep2: ['r2'],
  rep3: ['r3'],
  pm: ['r1a', 'r1b', 'tech'],
  tech: ['tech'],
  support: ALL,
  analyst: ALL,
  nobody: [],
};

describe('creating leads', () => {
  it("puts a new lead in its creator's team and refuses members without a role", async () => {
    const lead = await createLead('rep2', 'Fresh');
    expect(lead).toMatchObject({ ownerId: U.rep2, unitId: units.phxB });
    expect(
      await code('nobody', CREATE, { input: { firstName: 'No', lastName: 'Role', source: 'OTHER' } }),
    ).toBe('FORBIDDEN');
    await ok('admin', DELETE, { id: lead.id });
  });
});

describe.each(Object.keys(SEES) as Who[])('what %s sees', (who) => {
  const expected = SEES[who];

  it('in lists, counts, search and stats: exactly their scope', async () => {
    const list = await ok(who, LIST);
    expect(keysOf(new Set(list.leads.edges.map((e: { node: { id: string } }) => e.node.id)))).toEqual(
      expected,
    );
    expect(list.leads.totalCount).toBe(expected.length);
    const searched = await ok(who, LIST, { filter: { search: 'Scope' } });
    expect(searched.leads.totalCount).toBe(expected.length);
    const stats = (await ok(who, STATS)).leadStats;
    expect(stats.total).toBe(expected.length);
    expect(stats.byStatus.reduce((n: number, s: { count: number }) => n + s.count, 0)).toBe(expected.length);
  });

  it('page by page: the same leads, newest first, without gaps or repeats', async () => {
    const whole = (await ok(who, LIST)).leads.edges.map((e: { node: { id: string } }) => e.node.id);
    const paged: string[] = [];
    let after: string | null = null;
    do {
      const conn: {
        edges: Array<{ node: { id: string } }>;
        pageInfo: { hasNextPage: boolean; endCursor: string };
      } = (await ok(who, PAGE, { after })).leads;
      paged.push(...conn.edges.map((e) => e.node.id));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(paged).toEqual(whole);
    expect([...whole].sort().reverse()).toEqual(whole);
  });

  it('by id: hidden leads are simply not found', async () => {
    for (const key of ALL) {
      const got = (await ok(who, GET, { id: leads[key] })).lead;
      expect(got === null ? 'hidden' : 'seen', key).toBe(expected.includes(key) ? 'seen' : 'hidden');
    }
  });
});

describe('exports', () => {
  it('hold exactly the rows the caller may export, and need the export right', async () => {
    const rows = async (who: Who) => {
      const { csv, rowCount } = (await ok(who, EXPORT)).exportLeads;
      const ids = new Set(
        (csv as string)
          .trim()
          .split('\r\n')
          .slice(1)
          .map((line) => line.split(',')[0]!),
      );
      expect(ids.size).toBe(rowCount);
      return keysOf(ids);
    };
    expect(await rows('admin')).toEqual(ALL);
    expect(await rows('analyst')).toEqual(ALL);
    expect(await rows('mgr')).toEqual(SEES.mgr);
    for (const who of ['rep1', 'pm', 'tech', 'support', 'nobody'] as const)
      expect(await code(who, EXPORT), who).toBe('FORBIDDEN');
  });
});

describe('changing leads', () => {
  it('updates: allowed within scope, forbidden when only visible, not found when hidden', async () => {
    const CAN_UPDATE: Record<Who, LeadKey[]> = {
      admin: ALL,
      mgr: SEES.mgr,
      rep1: ['r1a', 'r1b'],
      rep2: ['r2'],
      rep3: ['r3'],
      pm: ['r1a', 'r1b', 'tech'],
      tech: [],
      support: [],
      analyst: [],
      nobody: [],
    };
    for (const who of Object.keys(CAN_UPDATE) as Who[])
      for (const key of ALL) {
        const want = CAN_UPDATE[who].includes(key)
          ? 'OK'
          : SEES[who].includes(key)
            ? 'FORBIDDEN'
            : 'NOT_FOUND';
        const got = await code(who, UPDATE, { id: leads[key], input: { status: 'CONTACTED' } });
        expect(got, `${who} updates ${key}`).toBe(want);
      }
  });

  it('assigns only within scope: a rep cannot hand a lead to another team', async () => {
    expect(await code('rep1', ASSIGN, { id: leads.r1a, input: { unitId: units.tucA } })).toBe('OUT_OF_SCOPE');
    expect(await code('rep1', ASSIGN, { id: leads.r1a, input: { ownerId: U.rep2 } })).toBe('OUT_OF_SCOPE');
    expect(await code('rep3', ASSIGN, { id: leads.r1a, input: { ownerId: U.rep3 } })).toBe('NOT_FOUND');
    expect(await code('analyst', ASSIGN, { id: leads.r1a, input: { ownerId: U.analyst } })).toBe('FORBIDDEN');
    expect(await code('mgr', ASSIGN, { id: leads.r2, input: { unitId: units.tucA } })).toBe('OUT_OF_SCOPE');
    // nothing moved
    expect((await visible('rep1')).has(leads.r1a)).toBe(true);

    // within the team / within the manager's subtree it works
    const handed = (await ok('mgr', ASSIGN, { id: leads.r2, input: { ownerId: U.rep1, unitId: units.phxA } }))
      .assignLead.lead;
    expect(handed).toMatchObject({ ownerId: U.rep1, unitId: units.phxA });
    expect((await visible('rep1')).has(leads.r2)).toBe(true);
    expect((await visible('rep2')).has(leads.r2)).toBe(false);
    await ok('mgr', ASSIGN, { id: leads.r2, input: { ownerId: U.rep2, unitId: units.phxB } });
  });

  it('deletes: forbidden without the right, not found when hidden, gone when allowed', async () => {
    expect(await code('rep1', DELETE, { id: leads.r1a })).toBe('FORBIDDEN');
    expect(await code('rep1', DELETE, { id: leads.r3 })).toBe('NOT_FOUND');
    expect(await code('mgr', DELETE, { id: leads.r3 })).toBe('NOT_FOUND');
    expect(await code('analyst', DELETE, { id: leads.r3 })).toBe('FORBIDDEN');

    const doomed = await createLead('rep2', 'Doomed');
    expect(await code('mgr', DELETE, { id: doomed.id })).toBe('OK');
    expect((await ok('admin', GET, { id: doomed.id })).lead).toBeNull();
    expect((await ok('admin', LIST)).leads.totalCount).toBe(ALL.length);
  });
});

describe('access changes apply on the next request and are audited', () => {
  const audit = async () =>
    (await ok('admin', '{ accessAuditLog(first: 20) { actorId action entityId before after requestId } }'))
      .accessAuditLog as Array<{ actorId: string; action: string; entityId: string; after: string | null }>;

  it('a granted role widens, a revoked role narrows, at once', async () => {
    expect(await visible('nobody')).toEqual(new Set());
    await grant(U.nobody, 'analyst');
    expect(keysOf(await visible('nobody'))).toEqual(ALL);
    await revoke(U.nobody, 'analyst');
    expect(await visible('nobody')).toEqual(new Set());
    const [revoked, granted] = await audit();
    expect(revoked).toMatchObject({ actorId: U.admin, action: 'role.revoked', entityId: U.nobody });
    expect(granted).toMatchObject({ actorId: U.admin, action: 'role.granted', entityId: U.nobody });
    expect(JSON.parse(granted!.after!)).toMatchObject({ roleId: 'analyst' });
  });

  it('a position change and a unit move re-scope the manager', async () => {
    const CHANGE = `mutation($i: MembershipInput!) { changeMembershipPosition(input: $i) { position } }`;
    await ok('admin', CHANGE, { i: { memberId: U.mgr, unitId: units.phx, position: 'MEMBER' } });
    expect(keysOf(await visible('mgr'))).toEqual([]);
    await ok('admin', CHANGE, { i: { memberId: U.mgr, unitId: units.phx, position: 'MANAGER' } });
    expect(keysOf(await visible('mgr'))).toEqual(SEES.mgr);

    const MOVE = `mutation($id: ID!, $p: ID) { moveOrgUnit(id: $id, parentId: $p) { depth } }`;
    await ok('admin', MOVE, { id: units.tucA, p: units.phx });
    expect(keysOf(await visible('mgr'))).toEqual([...SEES.mgr, 'r3'].sort());
    await ok('admin', MOVE, { id: units.tucA, p: units.tuc });
    expect(keysOf(await visible('mgr'))).toEqual(SEES.mgr);
    expect((await audit()).slice(0, 4).map((e) => e.action)).toEqual([
      'org_unit.moved',
      'org_unit.moved',
      'membership.position_changed',
      'membership.position_changed',
    ]);
  });

  it('a disabled member is refused on their next request', async () => {
    const SET = `mutation($id: ID!, $s: MemberStatus!) { setMemberStatus(id: $id, status: $s) { status } }`;
    await ok('admin', SET, { id: U.rep3, s: 'DISABLED' });
    const refused = await gql('rep3', LIST);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'MEMBER_DISABLED']);
    await ok('admin', SET, { id: U.rep3, s: 'ACTIVE' });
    expect(keysOf(await visible('rep3'))).toEqual(['r3']);
  });

  it('only administrators change access', async () => {
    expect(
      await code('mgr', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
        i: { memberId: U.mgr, roleId: 'admin' },
      }),
    ).toBe('FORBIDDEN');
    expect(await code('rep1', '{ members { id } }')).toBe('FORBIDDEN');
    expect((await ok('analyst', '{ members { id } }')).members).toHaveLength(Object.keys(U).length);
  });
});

describe('the raw-query guard', () => {
  it('throws on a scoped table queried around the data-access layer, and changes nothing', async () => {
    const pool = rt.runtime.pools.get({
      tenantId: tenant.id,
      schema: tenant.schema,
      user: tenant.user,
      password: tenant.password,
    });
    await expect(pool('leads').select('id')).rejects.toThrow(RowScopeBypassed);
    await expect(pool.raw('SELECT COUNT(*) FROM leads')).rejects.toThrow(RowScopeBypassed);
    await expect(pool('leads').where({ id: leads.r1a }).delete()).rejects.toThrow(RowScopeBypassed);
    await expect(pool.transaction((trx) => trx('leads').update({ status: 'converted' }))).rejects.toThrow(
      RowScopeBypassed,
    );
    // unscoped tables stay reachable, and the leads are all still there, untouched
    expect(await pool('org_units').count({ n: '*' })).toEqual([{ n: 7 }]);
    const [[row]] = (await tenant.db.raw(
      "SELECT COUNT(*) AS n, SUM(status = 'converted') AS c FROM leads",
    )) as unknown as [[{ n: number; c: string | null }]];
    expect(Number(row.n)).toBe(ALL.length);
    expect(Number(row.c ?? 0)).toBe(0);
  });
});

describe("a manager's lists through the unit closure", () => {
  it('a lead handed to the manager in another branch shows in their lists, and leaves when handed back', async () => {
    // the manager's permissions are cached from earlier requests; owning a row in a new unit refreshes them
    expect(keysOf(await visible('mgr'))).toEqual(SEES.mgr);
    await ok('admin', ASSIGN, { id: leads.r3, input: { ownerId: U.mgr } });
    expect(keysOf(await visible('mgr'))).toEqual([...SEES.mgr, 'r3'].sort());
    expect((await ok('mgr', GET, { id: leads.r3 })).lead).not.toBeNull();
    await ok('admin', ASSIGN, { id: leads.r3, input: { ownerId: U.rep3 } });
    expect(keysOf(await visible('mgr'))).toEqual(SEES.mgr);
    expect((await ok('mgr', GET, { id: leads.r3 })).lead).toBeNull();
  });

  it('the closure and the owned-row counts match the rows and the tree after every write and move', async () => {
    const q = async (sql: string) =>
      ((await tenant.db.raw(sql).queryContext(scopedQueryContext)) as [Array<Record<string, unknown>>])[0]
        .map((r) => JSON.stringify(r))
        .sort();
    // a team moved under the other branch and back, leads created, handed round and deleted by now
    const MOVE = `mutation($id: ID!, $p: ID) { moveOrgUnit(id: $id, parentId: $p) { depth } }`;
    await ok('admin', MOVE, { id: units.phxB, p: units.tuc });
    expect(keysOf(await visible('mgr'))).toEqual(['r1a', 'r1b', 'tech']);
    expect(await q('SELECT unit_id, row_id FROM leads_in_units')).toEqual(
      await q(
        `SELECT a.id AS unit_id, l.id AS row_id FROM leads l JOIN org_units u ON u.id = l.unit_id
         JOIN org_units a ON u.path LIKE CONCAT(a.path, '%')`,
      ),
    );
    await ok('admin', MOVE, { id: units.phxB, p: units.phx });
    expect(keysOf(await visible('mgr'))).toEqual(SEES.mgr);
    expect(
      await q(
        "SELECT owner_id, unit_id, row_count FROM owned_units WHERE table_name = 'leads' AND row_count > 0",
      ),
    ).toEqual(
      await q(
        `SELECT owner_id, COALESCE(unit_id, '') AS unit_id, COUNT(*) AS row_count FROM leads
         WHERE owner_id IS NOT NULL GROUP BY owner_id, COALESCE(unit_id, '')`,
      ),
    );
  });
});
