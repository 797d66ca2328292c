import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness } from '../testing/platform-api-harness.js';

/**
 * Access tokens on /graphql are remembered for SESSION_CACHE_MS (the pass-through path's largest cost was
 * verifying them and finding their session in MySQL). What a user notices: revoking a session ends it at
 * once on the account routes and within that bound on the API.
 */
const CACHE_MS = 1_500;
let h: Harness;
let runtime: FakeRuntime;
let tenant: Awaited<ReturnType<Harness['addTenant']>>;

beforeAll(async () => {
  h = await startHarness({ SESSION_CACHE_MS: String(CACHE_MS) });
  runtime = await startFakeRuntime(h.publicKey);
  tenant = await h.addTenant({ slug: 'cachy', endpoint: runtime.endpoint });
  await h.addIdentity(tenant, 'cai@cachy.test', 'correct horse battery');
});

afterAll(async () => {
  await runtime?.close();
  await h?.close();
});

const graphql = (token: string) =>
  h.call('POST', '/graphql', {
    host: tenant.host,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });
const session = (token: string) =>
  h.call('GET', '/auth/session', { host: tenant.host, headers: { authorization: `Bearer ${token}` } });

describe('remembered access tokens', () => {
  it('a revoked session is refused at once on /auth and on /graphql within SESSION_CACHE_MS', async () => {
    const token = await h.signIn(tenant, 'cai@cachy.test', 'correct horse battery');
    expect((await graphql(token)).status).toBe(200);
    await h.platform.db('sessions').where({ tenant_id: tenant.id }).update({ revoked_at: new Date() });

    expect((await session(token)).status).toBe(401);
    await new Promise((r) => setTimeout(r, CACHE_MS + 100));
    expect((await graphql(token)).status).toBe(401);
  });

  it("never accepts a remembered token on another tenant's host", async () => {
    const other = await h.addTenant({ slug: 'other', endpoint: runtime.endpoint });
    const token = await h.signIn(tenant, 'cai@cachy.test', 'correct horse battery');
    expect((await graphql(token)).status).toBe(200);
    const res = await h.call('POST', '/graphql', {
      host: other.host,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(res.status).toBe(401);
  });
});
