import type { TestTenant } from '@solar/operator/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

const CREATE = /* GraphQL */ `
  mutation ($input: CreateLeadInput!) {
    createLead(input: $input) {
      lead {
        id
      }
    }
  }
`;
const GET = 'query ($id: ID!) { lead(id: $id) { id fullName } }';

let rt: TestRuntime;
let a: TestTenant;
let b: TestTenant;
let tokenA: string;
let tokenB: string;
let leadOfB: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  [a, b] = [await rt.provisionTenant(), await rt.provisionTenant()];
  [tokenA, tokenB] = [await rt.tokenFor(a), await rt.tokenFor(b)];
  const created = await rt.graphql(tokenB, CREATE, {
    input: { firstName: 'Bea', lastName: 'Private', source: 'REFERRAL' },
  });
  leadOfB = created.body.data.createLead.lead.id;
});
afterAll(async () => {
  await rt?.close();
});

describe('isolation between tenants', () => {
  it("never shows tenant B's lead to a caller from tenant A, whatever the request claims", async () => {
    expect((await rt.graphql(tokenB, GET, { id: leadOfB })).body.data.lead).toMatchObject({ id: leadOfB });

    const plain = await rt.graphql(tokenA, GET, { id: leadOfB });
    expect(plain.status).toBe(200);
    expect(plain.body.data.lead).toBeNull();

    // an undeclared variable and tenant headers: both ignored, the token alone names the tenant
    const spoofed = await rt.graphql(
      tokenA,
      GET,
      { id: leadOfB, tenantId: b.id },
      { 'x-tenant': b.slug, 'x-tenant-id': b.id },
    );
    expect(spoofed.body.data.lead).toBeNull();
    const viewer = await rt.graphql(tokenA, '{ viewer { tenantId } }', {}, { 'x-tenant': b.slug });
    expect(viewer.body.data.viewer.tenantId).toBe(a.id);

    const listA = await rt.graphql(tokenA, '{ leads { totalCount } }');
    expect(listA.body.data.leads.totalCount).toBe(0);
  });

  it("serves each tenant through its own DB user, which MySQL refuses on another tenant's schema", async () => {
    await rt.graphql(tokenA, '{ leads { totalCount } }'); // opens A's pool
    const record = await rt.runtime.registry.get(a.id);
    expect(record?.db_user).toBe(a.user);
    const poolA = rt.runtime.pools.get({
      tenantId: a.id,
      schema: a.schema,
      user: a.user,
      password: a.password,
    });
    const [[who]] = (await poolA.raw('SELECT CURRENT_USER() AS u, DATABASE() AS d')) as [
      [{ u: string; d: string }],
    ];
    expect(who).toEqual({ u: `${a.user}@%`, d: a.schema });
    await expect(poolA.raw(`SELECT id FROM \`${b.schema}\`.leads`)).rejects.toThrow(/denied/i);
  });
});

describe('tenant lifecycle', () => {
  const setRow = (id: string, values: Record<string, unknown>) =>
    rt.platform.db('tenants').where({ id }).update(values);

  it('lets a suspended tenant read but answers 423 to writes, writing nothing', async () => {
    await setRow(b.id, { suspended: true, phase: 'Suspended' });
    try {
      expect((await rt.graphql(tokenB, GET, { id: leadOfB })).body.data.lead).toMatchObject({ id: leadOfB });
      const write = await rt.graphql(tokenB, CREATE, {
        input: { firstName: 'Late', lastName: 'Write', source: 'OTHER' },
      });
      expect(write.status).toBe(423);
      expect(write.body.errors[0].extensions.code).toBe('TENANT_SUSPENDED');
      expect(write.body.data).toBeNull();
      const rows = await b.db('leads').count({ n: '*' }).first();
      expect(Number((rows as { n: number }).n)).toBe(1);
    } finally {
      await setRow(b.id, { suspended: false, phase: 'Ready' });
    }
    const resumed = await rt.graphql(tokenB, CREATE, {
      input: { firstName: 'Back', lastName: 'Again', source: 'OTHER' },
    });
    expect(resumed.status).toBe(200);
  });

  it('answers 503 TENANT_NOT_READY while a tenant is not ready, and 404 for an unknown tenant', async () => {
    await setRow(a.id, { phase: 'Upgrading' });
    try {
      const res = await rt.graphql(tokenA, '{ viewer { tenantId } }');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('TENANT_NOT_READY');
    } finally {
      await setRow(a.id, { phase: 'Ready' });
    }
    const ghost = await rt.tokenFor({ id: 'zzzzzzzzzzzz', slug: 'ghost' });
    const res = await rt.graphql(ghost, '{ viewer { tenantId } }');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
  });
});
