import type { TestTenant } from '@solar/operator/testing';
import { expect } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

/*
 * The org tree the access tests use, for the sales modules' tests (customers, opportunities, conversion):
 *
 *   West (region) ─┬─ Phoenix (branch) ─┬─ Phoenix A (team)   rep1
 *                  │                    └─ Phoenix B (team)   rep2
 *                  └─ Tucson (branch)  ── Tucson A (team)     rep3
 *   mgr: sales_manager, manager of Phoenix (so its whole subtree); analyst: read-only; nobody: no role
 */

const id = (n: number) => `0190a000-0000-7000-8000-0000000001${n.toString(16).padStart(2, '0')}`;
export const U = {
  admin: id(0xa0),
  mgr: id(0xa1),
  rep1: id(0xa2),
  rep2: id(0xa3),
  rep3: id(0xa4),
  analyst: id(0xa8),
  nobody: id(0xa9),
} as const;
export type Who = keyof typeof U;

export interface SalesOrg {
  rt: TestRuntime;
  tenant: TestTenant;
  units: Record<'west' | 'phx' | 'tuc' | 'phxA' | 'phxB' | 'tucA', string>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  gql(who: Who, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** data of a successful operation; fails the test with the errors otherwise */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  ok(who: Who, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** the first error code, or OK */
  code(who: Who, query: string, variables?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startSalesOrg(): Promise<SalesOrg> {
  const rt = await startTestRuntime();
  const tenant = await rt.provisionTenant();
  const tokens = {} as Record<Who, string>;
  for (const who of Object.keys(U) as Who[]) tokens[who] = await rt.tokenFor(tenant, { sub: U[who] });
  const gql = async (who: Who, query: string, variables?: Record<string, unknown>) =>
    (await rt.graphql(tokens[who], query, variables)).body;
  const ok = async (who: Who, query: string, variables?: Record<string, unknown>) => {
    const body = await gql(who, query, variables);
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined();
    return body.data;
  };
  const code = async (who: Who, query: string, variables?: Record<string, unknown>) =>
    ((await gql(who, query, variables)).errors?.[0]?.extensions?.code as string | undefined) ?? 'OK';

  // the first member of a fresh workspace becomes its admin; everyone else joins with no role
  await ok('admin', '{ viewer { userId } }');
  for (const who of Object.keys(U) as Who[]) await ok(who, '{ viewer { userId } }');
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
  const grant = (memberId: string, roleId: string) =>
    ok('admin', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
      i: { memberId, roleId },
    });
  const west = await unit('REGION', 'West');
  const phx = await unit('BRANCH', 'Phoenix', west);
  const tuc = await unit('BRANCH', 'Tucson', west);
  const units = {
    west,
    phx,
    tuc,
    phxA: await unit('TEAM', 'Phoenix A', phx),
    phxB: await unit('TEAM', 'Phoenix B', phx),
    tucA: await unit('TEAM', 'Tucson A', tuc),
  };
  await join(U.rep1, units.phxA);
  await join(U.rep2, units.phxB);
  await join(U.rep3, units.tucA);
  await join(U.mgr, units.phx, 'MANAGER');
  for (const who of ['rep1', 'rep2', 'rep3'] as const) await grant(U[who], 'sales_rep');
  await grant(U.mgr, 'sales_manager');
  await grant(U.analyst, 'analyst');

  return { rt, tenant, units, gql, ok, code, close: () => rt.close() };
}
