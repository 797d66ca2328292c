import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { answerPermissions, graphqlText } from './roles-fixture.js';

/*
 * Roles live in the runtime; platform-api asks it. The runtime here is the fake one answering
 * `{ viewer { permissions } }` from the verified internal token (a real runtime is heavy to start beside
 * the harness; its own tests cover what it answers).
 */
const PASSWORD = 'orchid tractor umbrella 9';
const json = { 'content-type': 'application/json' };
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
const permissions = new Map<string, string[]>();
let asked: { count: number };
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await startHarness({ TENANT_ROLES_CACHE_MS: '60000' });
  runtime = await startFakeRuntime(h.publicKey);
  asked = answerPermissions(runtime, permissions);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  for (const name of ['olga', 'ada', 'rex', 'sam']) {
    ids[name] = (await h.addIdentity(acme, `${name}@acme.test`, PASSWORD)).id;
    tokens[name] = await h.signIn(acme, `${name}@acme.test`, PASSWORD);
  }
  await h.platform.db('tenants').where({ id: acme.id }).update({ owner_identity_id: ids.olga });
  permissions.set(ids.ada!, ['access:manage:all', 'leads:read:all']);
  // a unit manager: access:manage within one unit is not the workspace's administrator
  permissions.set(ids.rex!, ['access:manage:all@0190a000-0000-7000-8000-00000000000a', 'leads:read:subtree']);
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});

const call = (method: 'GET' | 'POST' | 'DELETE', path: string, who: string, body?: unknown) =>
  h.call(method, path, {
    host: acme.host,
    headers: { ...json, authorization: `Bearer ${tokens[who]}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

describe('tenant roles at the door', () => {
  it("lets a workspace administrator list and revoke everyone's API keys; members only their own", async () => {
    const samKey = (await call('POST', '/auth/api-keys', 'sam', { name: 'sam sync', scopes: ['*'] })).json<{
      id: string;
    }>();
    expect((await call('GET', '/auth/api-keys?all=true', 'sam')).status).toBe(403);
    expect((await call('GET', '/auth/api-keys?all=true', 'rex')).status).toBe(403);
    expect((await call('DELETE', `/auth/api-keys/${samKey.id}`, 'rex')).status).toBe(404);

    const all = await call('GET', '/auth/api-keys?all=true', 'ada');
    expect(all.status).toBe(200);
    expect(all.json<{ apiKeys: Array<{ id: string; createdBy: string }> }>().apiKeys).toContainEqual(
      expect.objectContaining({ id: samKey.id, createdBy: ids.sam }),
    );
    expect((await call('DELETE', `/auth/api-keys/${samKey.id}`, 'ada')).status).toBe(204);
    expect((await call('GET', '/auth/api-keys', 'sam')).json<{ apiKeys: unknown[] }>().apiKeys).toEqual([]);
    const event = await h.platform
      .db('security_events')
      .where({ type: 'api_key_revoked', identity_id: ids.ada })
      .first();
    const details: unknown = typeof event.details === 'string' ? JSON.parse(event.details) : event.details;
    expect(details).toMatchObject({ keyId: samKey.id, byAdmin: true });
  });

  it('asks the runtime as the caller and remembers the answer per member', async () => {
    const before = asked.count;
    await call('GET', '/auth/api-keys?all=true', 'ada');
    await call('GET', '/auth/api-keys?all=true', 'ada');
    expect(asked.count).toBe(before); // remembered from the first test
    const questions = runtime.received.filter((r) => graphqlText(r.body).includes('viewer { permissions }'));
    expect(questions.filter((q) => q.claims?.sub === ids.ada)).toHaveLength(1);
    expect(questions.every((q) => q.claims?.tid === acme.id && q.headers.authorization)).toBe(true);
  });

  it('lets the owner in without asking the runtime, and refuses keys and anonymous callers', async () => {
    const before = asked.count;
    expect((await call('GET', '/auth/api-keys?all=true', 'olga')).status).toBe(200);
    expect(asked.count).toBe(before);
    const res = await h.call('GET', '/auth/api-keys?all=true', { host: acme.host });
    expect(res.status).toBe(401);
  });

  it('answers 502 when the runtime cannot be asked, and asks again next time', async () => {
    const bolt = await h.addTenant({ slug: 'bolt', endpoint: 'http://127.0.0.1:9' });
    await h.addIdentity(bolt, 'bo@bolt.test', PASSWORD);
    const bo = await h.signIn(bolt, 'bo@bolt.test', PASSWORD);
    const res = await h.call('GET', '/auth/api-keys?all=true', {
      host: bolt.host,
      headers: { authorization: `Bearer ${bo}` },
    });
    expect(res.status).toBe(502);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('UPSTREAM_UNAVAILABLE');
  });
});
