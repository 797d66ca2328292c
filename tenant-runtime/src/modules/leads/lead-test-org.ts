import type { TestTenant } from '@solar/operator/testing';
import { expect } from 'vitest';
import type { TestRuntime } from '../../testing/test-runtime.js';

/*
 * A small sales org for the lead tests, built through the API as an administrator would:
 *
 *   West (region) ─┬─ Phoenix A (team)   rep1, rep1b (sales reps)
 *                  ├─ Phoenix B (team)   rep2        (sales rep)
 *                  └─ Tucson A (team)    rep3        (sales rep)
 *   admin: the workspace's first member; analyst: reads everything, changes nothing
 */

const id = (n: number) => `0190a000-0000-7000-8000-0000000001${n.toString(16).padStart(2, '0')}`;
/** ids sort rep1 < rep1b, so round-robin in Phoenix A goes rep1, rep1b, rep1, … */
export const PEOPLE = {
  admin: id(0x10),
  rep1: id(0x21),
  rep1b: id(0x22),
  rep2: id(0x23),
  rep3: id(0x24),
  analyst: id(0x30),
} as const;
export type Who = keyof typeof PEOPLE;

export interface SalesOrg {
  tenant: TestTenant;
  units: { west: string; phxA: string; phxB: string; tucA: string };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  gql(who: Who, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** data of a successful operation; fails the test with the errors otherwise */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  ok(who: Who, query: string, variables?: Record<string, unknown>): Promise<any>;
  /** extensions.code of the first error, or OK */
  code(who: Who, query: string, variables?: Record<string, unknown>): Promise<string>;
  setRules(rules: { scoringRules?: unknown; assignmentRules?: unknown }): Promise<void>;
}

export async function buildSalesOrg(rt: TestRuntime): Promise<SalesOrg> {
  const tenant = await rt.provisionTenant();
  const tokens = {} as Record<Who, string>;
  for (const who of Object.keys(PEOPLE) as Who[])
    tokens[who] = await rt.tokenFor(tenant, { sub: PEOPLE[who], name: who });
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
  for (const who of Object.keys(PEOPLE) as Who[]) await ok(who, '{ viewer { userId } }');
  const unit = async (kind: string, name: string, parentId?: string) =>
    (
      await ok('admin', `mutation($i: CreateOrgUnitInput!) { createOrgUnit(input: $i) { id } }`, {
        i: { kind, name, parentId },
      })
    ).createOrgUnit.id as string;
  const west = await unit('REGION', 'West');
  const units = {
    west,
    phxA: await unit('TEAM', 'Phoenix A', west),
    phxB: await unit('TEAM', 'Phoenix B', west),
    tucA: await unit('TEAM', 'Tucson A', west),
  };
  const join = (who: Who, unitId: string) =>
    ok('admin', `mutation($i: MembershipInput!) { addMembership(input: $i) { position } }`, {
      i: { memberId: PEOPLE[who], unitId, position: 'MEMBER' },
    });
  const grant = (who: Who, roleId: string) =>
    ok('admin', `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
      i: { memberId: PEOPLE[who], roleId },
    });
  await join('rep1', units.phxA);
  await join('rep1b', units.phxA);
  await join('rep2', units.phxB);
  await join('rep3', units.tucA);
  for (const who of ['rep1', 'rep1b', 'rep2', 'rep3'] as const) await grant(who, 'sales_rep');
  await grant('analyst', 'analyst');

  return {
    tenant,
    units,
    gql,
    ok,
    code,
    async setRules(rules) {
      await ok(
        'admin',
        `mutation($i: UpdateLeadSettingsInput!) { updateLeadSettings(input: $i) { settings { updatedAt } } }`,
        { i: rules },
      );
    },
  };
}
