import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';

const PASSWORD = 'orchid tractor umbrella 9';
const json = { 'content-type': 'application/json' };
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let bolt: TestTenant;
let anaToken: string;
let anaId: string;

beforeAll(async () => {
  h = await startHarness();
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  bolt = await h.addTenant({ slug: 'bolt', endpoint: runtime.endpoint });
  anaId = (await h.addIdentity(acme, 'ana@acme.test', PASSWORD)).id;
  await h.addIdentity(acme, 'ben@acme.test', PASSWORD);
  anaToken = await h.signIn(acme, 'ana@acme.test', PASSWORD);
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});
beforeEach(() => {
  runtime.received.length = 0;
});

interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  scopes: string[];
  expiresAt: string | null;
}
const createKey = (body: unknown, token = anaToken, tenant = acme) =>
  h.call('POST', '/auth/api-keys', {
    host: tenant.host,
    headers: { ...json, authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
const graphql = (key: string, tenant = acme) =>
  h.call('POST', '/graphql', {
    host: tenant.host,
    headers: { ...json, authorization: `Bearer ${key}` },
    body: JSON.stringify({ query: '{ viewer { id } }' }),
  });

describe('API keys', () => {
  it('are shown once, stored as a hash, and listed by their visible prefix', async () => {
    const res = await createKey({ name: 'OpenSolar sync', scopes: ['leads:read', 'leads:write'] });
    expect(res.status).toBe(201);
    const created = res.json<CreatedKey>();
    expect(created.key).toMatch(/^sk_live_[A-Za-z0-9]{8}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    const row = await h.platform.db('api_keys').where({ id: created.id }).first();
    expect(JSON.stringify(row)).not.toContain(created.key.slice(created.prefix.length + 1));
    const list = await h.call('GET', '/auth/api-keys', {
      host: acme.host,
      headers: { authorization: `Bearer ${anaToken}` },
    });
    const keys = list.json<{ apiKeys: Array<Record<string, unknown>> }>().apiKeys;
    expect(keys.find((k) => k.id === created.id)).toMatchObject({
      name: 'OpenSolar sync',
      prefix: created.prefix,
      lastUsedAt: null,
    });
    expect(list.text).not.toContain(created.key);
  });

  it("are accepted on /graphql, acting as their creator with the key's scopes, and record last use", async () => {
    const { key, id } = (await createKey({ name: 'reporting', scopes: ['leads:read'] })).json<CreatedKey>();
    const res = await graphql(key);
    expect(res.status).toBe(200);
    expect(runtime.received[0]!.claims).toMatchObject({
      tid: acme.id,
      sub: anaId,
      sid: id,
      scopes: ['leads:read'],
    });
    expect(runtime.received[0]!.headers.authorization).not.toContain(key);
    const row = await h.platform.db('api_keys').where({ id }).first();
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it("are refused on another tenant's host, and the runtime is never called", async () => {
    const { key } = (await createKey({ name: 'acme only', scopes: ['*'] })).json<CreatedKey>();
    const res = await graphql(key, bolt);
    expect(res.status).toBe(401);
    expect(runtime.received).toHaveLength(0);
  });

  it('stop working once expired or revoked, and a forged secret with a real prefix is refused', async () => {
    const soon = (
      await createKey({
        name: 'short',
        scopes: ['*'],
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
      })
    ).json<CreatedKey>();
    await h.platform
      .db('api_keys')
      .where({ id: soon.id })
      .update({ expires_at: new Date(Date.now() - 1000) });
    expect((await graphql(soon.key)).status).toBe(401);

    const revoked = (await createKey({ name: 'revoke me', scopes: ['*'] })).json<CreatedKey>();
    expect((await graphql(revoked.key)).status).toBe(200);
    const del = await h.call('DELETE', `/auth/api-keys/${revoked.id}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${anaToken}` },
    });
    expect(del.status).toBe(204);
    expect((await graphql(revoked.key)).status).toBe(401);

    const real = (await createKey({ name: 'real', scopes: ['*'] })).json<CreatedKey>();
    expect((await graphql(`${real.prefix}_${'A'.repeat(43)}`)).status).toBe(401);
  });

  it('cannot manage keys or read sessions with a key, and cannot revoke another member’s key', async () => {
    const { key, id } = (await createKey({ name: 'no escalation', scopes: ['*'] })).json<CreatedKey>();
    expect((await createKey({ name: 'child', scopes: ['*'] }, key)).status).toBe(401);
    expect(
      (await h.call('GET', '/auth/session', { host: acme.host, headers: { authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(401);
    const ben = await h.signIn(acme, 'ben@acme.test', PASSWORD);
    const del = await h.call('DELETE', `/auth/api-keys/${id}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${ben}` },
    });
    expect(del.status).toBe(404);
    expect((await graphql(key)).status).toBe(200);
  });

  it('refuses bad input with field errors', async () => {
    const res = await createKey({ name: '', scopes: ['DROP TABLE'], expiresAt: '2000-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    const fields = res.json<{ error: { fields: Record<string, string[]> } }>().error.fields;
    expect(Object.keys(fields).sort()).toEqual(['expiresAt', 'name', 'scopes.0']);
    expect((await createKey({ name: 'x', scopes: ['*'] }, 'not-a-session')).status).toBe(401);
  });
});
