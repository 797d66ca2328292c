import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deriveAccessTokenKey } from '../sessions/access-token.js';
import { answerPermissions } from '../tenant-roles/roles-fixture.js';
import { startFakeRuntime, type FakeRuntime } from '../testing/fake-runtime.js';
import { startHarness, type Harness, type TestTenant } from '../testing/platform-api-harness.js';
import { deriveClientTokenKey } from './client-token.js';

const PASSWORD = 'orchid tractor umbrella 9';
const json = { 'content-type': 'application/json' };
const form = { 'content-type': 'application/x-www-form-urlencoded' };
let h: Harness;
let runtime: FakeRuntime;
let acme: TestTenant;
let bolt: TestTenant;
const ids: Record<string, string> = {};
const sessions: Record<string, string> = {};

interface CreatedClient {
  id: string;
  clientId: string;
  clientSecret: string;
  scopes: string[];
}
interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope: string;
}

beforeAll(async () => {
  h = await startHarness({
    OAUTH_TOKEN_TTL_SECONDS: '120',
    LOCKOUT_ACCOUNT_THRESHOLD: '3',
    // every failure in this file comes from 127.0.0.1: the per-client counter is what is tested here
    LOCKOUT_IP_THRESHOLD: '100',
  });
  runtime = await startFakeRuntime(h.publicKey);
  acme = await h.addTenant({ slug: 'acme', endpoint: runtime.endpoint });
  bolt = await h.addTenant({ slug: 'bolt', endpoint: runtime.endpoint });
  for (const name of ['ada', 'sam']) {
    ids[name] = (await h.addIdentity(acme, `${name}@acme.test`, PASSWORD)).id;
    sessions[name] = await h.signIn(acme, `${name}@acme.test`, PASSWORD);
  }
  answerPermissions(runtime, new Map([[ids.ada!, ['access:manage:all']]]));
});
afterAll(async () => {
  await runtime?.close();
  await h?.close();
});
beforeEach(() => {
  runtime.received.length = 0;
});

const createClient = async (body: unknown, who = 'ada') =>
  h.call('POST', '/auth/oauth-clients', {
    host: acme.host,
    headers: { ...json, authorization: `Bearer ${sessions[who]}` },
    body: JSON.stringify(body),
  });
const newClient = async (scopes: string[]) =>
  (await createClient({ name: `client ${Math.random()}`, scopes })).json<CreatedClient>();
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
const token = (body: Record<string, string>, headers: Record<string, string> = {}, tenant = acme) =>
  h.call('POST', '/oauth/token', {
    host: tenant.host,
    headers: { ...form, ...headers },
    body: new URLSearchParams(body).toString(),
  });
const graphql = (accessToken: string, tenant = acme) =>
  h.call('POST', '/graphql', {
    host: tenant.host,
    headers: { ...json, authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ query: '{ leads { id } }' }),
  });

describe('OAuth2 client credentials', () => {
  it('only administrators manage clients; the secret is shown once and stored as a hash', async () => {
    expect((await createClient({ name: 'x', scopes: ['leads:read'] }, 'sam')).status).toBe(403);
    const res = await createClient({ name: 'OpenSolar', scopes: ['leads:read', 'leads:write'] });
    expect(res.status).toBe(201);
    const created = res.json<CreatedClient>();
    expect(created.clientId).toMatch(/^oc_[A-Za-z0-9]{24}$/);
    expect(created.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await h.platform.db('oauth_clients').where({ id: created.id }).first();
    expect(JSON.stringify(row)).not.toContain(created.clientSecret);
    const list = await h.call('GET', '/auth/oauth-clients', {
      host: acme.host,
      headers: { authorization: `Bearer ${sessions.ada}` },
    });
    expect(list.text).not.toContain(created.clientSecret);
    expect(list.json<{ oauthClients: Array<{ id: string }> }>().oauthClients).toContainEqual(
      expect.objectContaining({ id: created.id, createdBy: ids.ada, lastUsedAt: null }),
    );
    const bad = await createClient({ name: '', scopes: ['DROP TABLE'] });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.json<{ error: { fields: object } }>().error.fields).sort()).toEqual([
      'name',
      'scopes.0',
    ]);
  });

  it('issues a short-lived token (Basic or body auth) that reaches /graphql and /api/v1 as the creating admin, limited to its scopes', async () => {
    const client = await newClient(['leads:read', 'leads:write']);
    const viaBasic = await token(
      { grant_type: 'client_credentials', scope: 'leads:read' },
      {
        authorization: basic(client.clientId, client.clientSecret),
      },
    );
    expect(viaBasic.status).toBe(200);
    expect(viaBasic.headers['cache-control']).toBe('no-store');
    const issued = viaBasic.json<TokenAnswer>();
    expect(issued).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'leads:read' });

    const res = await graphql(issued.access_token);
    expect(res.status).toBe(200);
    expect(runtime.received[0]!.claims).toMatchObject({ tid: acme.id, sub: ids.ada, scopes: ['leads:read'] });
    expect(runtime.received[0]!.headers.authorization).not.toContain(issued.access_token);

    const rest = await h.call('GET', '/api/v1/leads', {
      host: acme.host,
      headers: { authorization: `Bearer ${issued.access_token}` },
    });
    expect(rest.status).toBe(200);
    expect(runtime.received[1]!.url).toBe('/api/v1/leads');

    const viaBody = await token({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    expect(viaBody.json<TokenAnswer>().scope).toBe('leads:read leads:write');
    const row = await h.platform.db('oauth_clients').where({ id: client.id }).first();
    expect(row.last_used_at).toBeInstanceOf(Date);
  });

  it('answers RFC 6749 errors: invalid_client (401 + WWW-Authenticate), invalid_scope, unsupported_grant_type, invalid_request', async () => {
    const client = await newClient(['leads:read']);
    const wrong = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, 'nope') },
    );
    expect(wrong.status).toBe(401);
    expect(wrong.json()).toMatchObject({ error: 'invalid_client' });
    expect(wrong.headers['www-authenticate']).toMatch(/^Basic realm="acme"/);
    const unknown = await token({ grant_type: 'client_credentials', client_id: 'oc_x', client_secret: 'y' });
    expect(unknown.status).toBe(401);

    const escalate = await token(
      { grant_type: 'client_credentials', scope: 'leads:read leads:write' },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(escalate.status).toBe(400);
    expect(escalate.json()).toMatchObject({ error: 'invalid_scope' });
    const wildcard = await token(
      { grant_type: 'client_credentials', scope: '*' },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(wildcard.json()).toMatchObject({ error: 'invalid_scope' });

    const password = await token(
      { grant_type: 'password', username: 'a', password: 'b' },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(password.status).toBe(400);
    expect(password.json()).toMatchObject({ error: 'unsupported_grant_type' });
    const both = await token(
      { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.clientSecret },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(both.json()).toMatchObject({ error: 'invalid_request' });
    const asJson = await h.call('POST', '/oauth/token', {
      host: acme.host,
      headers: { ...json, authorization: basic(client.clientId, client.clientSecret) },
      body: JSON.stringify({ grant_type: 'client_credentials' }),
    });
    expect(asJson.json()).toMatchObject({ error: 'invalid_request' });

    const events = await h.platform
      .db('security_events')
      .where({ tenant_id: acme.id, type: 'oauth_token_failed' })
      .select('details');
    const reasons = events.map(
      (e) => (typeof e.details === 'string' ? JSON.parse(e.details) : e.details).reason,
    );
    expect(reasons).toEqual(expect.arrayContaining(['invalid_client', 'invalid_scope']));
    expect(JSON.stringify(events)).not.toContain(client.clientSecret);
  });

  it("is useless on another tenant: neither the client nor its tokens work on bolt's host", async () => {
    const client = await newClient(['*']);
    const onBolt = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, client.clientSecret) },
      bolt,
    );
    expect(onBolt.status).toBe(401);
    const { access_token } = (
      await token(
        { grant_type: 'client_credentials' },
        { authorization: basic(client.clientId, client.clientSecret) },
      )
    ).json<TokenAnswer>();
    expect((await graphql(access_token, bolt)).status).toBe(401);
    expect(runtime.received).toHaveLength(0);
  });

  it('stops working at once when the client is revoked', async () => {
    const client = await newClient(['leads:read']);
    const { access_token } = (
      await token(
        { grant_type: 'client_credentials' },
        { authorization: basic(client.clientId, client.clientSecret) },
      )
    ).json<TokenAnswer>();
    expect((await graphql(access_token)).status).toBe(200);
    const del = await h.call('DELETE', `/auth/oauth-clients/${client.id}`, {
      host: acme.host,
      headers: { authorization: `Bearer ${sessions.ada}` },
    });
    expect(del.status).toBe(204);
    expect((await graphql(access_token)).status).toBe(401);
    const again = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(again.status).toBe(401);
    const event = await h.platform.db('security_events').where({ type: 'oauth_client_revoked' }).first();
    expect(event.identity_id).toBe(ids.ada);
  });

  it('refuses expired, forged and alg:none tokens', async () => {
    const client = await newClient(['*']);
    const key = deriveClientTokenKey(h.config.PLATFORM_SECRET_KEY);
    const claims = { client_id: client.clientId, cid: client.id, scope: '*' };
    const sign = (k: Uint8Array, exp: number) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
        .setIssuer('solar-crm/platform-api')
        .setAudience(acme.id)
        .setSubject(client.clientId)
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(k);
    const now = Math.floor(Date.now() / 1000);
    expect((await graphql(await sign(key, now + 60))).status).toBe(200); // the forgery below is the only difference
    expect((await graphql(await sign(key, now - 5))).status).toBe(401);
    expect((await graphql(await sign(new Uint8Array(32).fill(7), now + 60))).status).toBe(401);
    const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const none = `${b64({ alg: 'none', typ: 'at+jwt' })}.${b64({ ...claims, iss: 'solar-crm/platform-api', aud: acme.id, sub: client.clientId, exp: now + 60 })}.`;
    expect((await graphql(none)).status).toBe(401);
    // a session access token's key cannot mint client tokens either
    const sessionKeyToken = await sign(deriveAccessTokenKey(h.config.PLATFORM_SECRET_KEY), now + 60);
    expect((await graphql(sessionKeyToken)).status).toBe(401);
  });

  it('backs off repeated wrong secrets like sign-in (429 + Retry-After)', async () => {
    const client = await newClient(['leads:read']);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await token(
            { grant_type: 'client_credentials' },
            { authorization: basic(client.clientId, `wrong${i}`) },
          )
        ).status,
      );
    expect(statuses.slice(0, 3)).toEqual([401, 401, 401]);
    const blocked = await token(
      { grant_type: 'client_credentials' },
      { authorization: basic(client.clientId, client.clientSecret) },
    );
    expect(blocked.status).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'slow_down' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});
