import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

let h: Harness;
let acme: TestTenant;
let bolt: TestTenant;
const json = { 'content-type': 'application/json' };

beforeAll(async () => {
  h = await startHarness();
  acme = await h.addTenant({ slug: 'acme' });
  bolt = await h.addTenant({ slug: 'bolt' });
  await h.addIdentity(acme, 'ana@acme.test', 'correct horse battery');
  await h.platform.db('tenant_domains').insert([
    { domain: 'crm.acme-solar.test', tenant_id: acme.id, verified: true },
    { domain: 'crm.unverified.test', tenant_id: acme.id, verified: false },
  ]);
});
afterAll(() => h?.close());

/** Sign-in is the simplest tenant route: 200 proves the tenant was found, 401 too (it looked for the user). */
const signIn = (host: string, headers: Record<string, string> = {}) =>
  h.call('POST', '/auth/sign-in', {
    host,
    headers: { ...json, ...headers },
    body: JSON.stringify({ email: 'ana@acme.test', password: 'correct horse battery' }),
  });

describe('tenant resolution', () => {
  it('finds the tenant from <slug>.<base-domain>, ignoring the port and letter case', async () => {
    const res = await signIn('ACME.localhost:4000');
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ tenant: { slug: 'acme' } });
  });

  it('finds the tenant from a verified custom domain, but not an unverified one', async () => {
    expect((await signIn('crm.acme-solar.test')).json()).toMatchObject({ tenant: { slug: 'acme' } });
    const unverified = await signIn('crm.unverified.test');
    expect(unverified.status).toBe(404);
    expect(unverified.json()).toMatchObject({ error: { code: 'TENANT_NOT_FOUND' } });
  });

  it('finds the tenant from X-Tenant on a shared host', async () => {
    const res = await signIn('127.0.0.1', { 'x-tenant': 'acme' });
    expect(res.json()).toMatchObject({ tenant: { slug: 'acme' } });
  });

  it('accepts X-Tenant repeating the host, and refuses one that disagrees with 400 TENANT_MISMATCH', async () => {
    expect((await signIn(acme.host, { 'x-tenant': 'acme' })).status).toBe(200);
    const res = await signIn(acme.host, { 'x-tenant': 'bolt' });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'TENANT_MISMATCH' } });
    expect((await signIn('crm.acme-solar.test', { 'x-tenant': 'bolt' })).status).toBe(400);
  });

  it('answers 404 TENANT_NOT_FOUND for an unknown tenant, by host or by header', async () => {
    for (const res of [await signIn('nope.localhost'), await signIn('127.0.0.1', { 'x-tenant': 'nope' })]) {
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'TENANT_NOT_FOUND', message: 'No such tenant' } });
    }
  });

  it('answers 404 when the request names no tenant at all', async () => {
    const res = await signIn('127.0.0.1');
    expect(res.status).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'TENANT_NOT_FOUND' } });
  });

  it('answers 503 TENANT_PROVISIONING with Retry-After while the tenant is being set up', async () => {
    const pending = await h.addTenant({ slug: 'fresh', phase: 'Provisioning' });
    const res = await signIn(pending.host);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ error: { code: 'TENANT_PROVISIONING' } });
  });

  it('treats a deleted tenant as unknown', async () => {
    const gone = await h.addTenant({ slug: 'gone' });
    await h.platform.db('tenants').where({ id: gone.id }).update({ deleted_at: new Date() });
    expect((await signIn(gone.host)).status).toBe(404);
  });

  it('still serves a suspended tenant and says so in X-Tenant-Suspended', async () => {
    const paused = await h.addTenant({ slug: 'paused', phase: 'Suspended', suspended: true });
    const res = await signIn(paused.host);
    expect(res.status).toBe(401); // found the tenant, then found no such user there
    expect(res.headers['x-tenant-suspended']).toBe('true');
    expect((await signIn(bolt.host)).headers['x-tenant-suspended']).toBeUndefined();
  });
});
