import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdentity } from '../identity/create-identity.js';
import { FLOW_COOKIE } from './flow-state.js';
import { disableTenantSso, setTenantSso } from './tenant-sso-settings.js';
import { startTestOidcProvider, type TestOidcProvider } from './testing/oidc-test-provider.js';
import { startSsoTestApi, type SsoTestApi } from './testing/sso-test-api.js';
import { TestBrowser, approveAtProvider } from './testing/test-browser.js';

const ACME_SECRET = 'acme-client-secret-7f3a9c2e1b8d4f60a5e2';
const BOLT_SECRET = 'bolt-client-secret-0c4b7e9d2a6f1358b7c1';

let api: SsoTestApi;
let idp: TestOidcProvider;
const logLines: string[] = [];
const tenants: Record<'acme' | 'bolt' | 'cold' | 'bare', { id: string; host: string }> = {} as never;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  api = await startSsoTestApi(pino({ level: 'debug' }, sink));
  idp = await startTestOidcProvider({
    ana: { email: 'Ana@Acme.test', email_verified: true, name: 'Ana Alvarez' },
    ben: { email: 'ben@acme.test', email_verified: true, name: 'Ben Brook' },
    cara: { email: 'cara@acme.test', email_verified: true },
    dan: { email: 'dan@acme.test', email_verified: true },
    una: { email: 'una@acme.test', email_verified: false },
    eve: { email: 'eve@evil.test', email_verified: true },
    bo: { email: 'bo@bolt.test', email_verified: true },
  });
  for (const slug of ['acme', 'bolt', 'cold', 'bare'] as const)
    tenants[slug] = { id: await api.addTenant(slug), host: `${slug}.localhost:${api.port}` };
  const callback = (slug: string) => `http://${slug}.localhost:${api.port}/auth/sso/callback`;
  idp.start([
    { client_id: 'acme-crm', client_secret: ACME_SECRET, redirect_uris: [callback('acme')] },
    { client_id: 'bolt-crm', client_secret: BOLT_SECRET, redirect_uris: [callback('bolt')] },
    { client_id: 'cold-crm', client_secret: 'cold-secret-value-123', redirect_uris: [callback('cold')] },
  ]);
  const settings = { db: api.db, secretKey: api.secretKey, allowInsecureIssuer: true };
  await setTenantSso(settings, tenants.acme.id, {
    issuer: idp.issuer,
    clientId: 'acme-crm',
    clientSecret: ACME_SECRET,
    allowedEmailDomains: ['acme.test'],
    defaultRole: 'sales_rep',
  });
  await setTenantSso(settings, tenants.bolt.id, {
    issuer: idp.issuer,
    clientId: 'bolt-crm',
    clientSecret: BOLT_SECRET,
    allowedEmailDomains: ['bolt.test'],
    defaultRole: 'field_tech',
  });
  await setTenantSso(settings, tenants.cold.id, {
    issuer: idp.issuer,
    clientId: 'cold-crm',
    clientSecret: 'cold-secret-value-123',
    allowedEmailDomains: ['acme.test'],
    defaultRole: 'sales_rep',
  });
  await disableTenantSso(api.db, tenants.cold.id);
});

afterAll(async () => {
  await api?.close();
  await idp?.close();
});

const origin = (slug: keyof typeof tenants) => `http://${tenants[slug].host}`;

/** Start on the tenant's host and approve at the provider; the callback is returned, not yet visited. */
async function throughProvider(
  browser: TestBrowser,
  slug: keyof typeof tenants,
  account: string,
  next = '/',
) {
  const start = await browser.get(`${origin(slug)}/auth/sso/start?next=${encodeURIComponent(next)}`);
  expect(start.status).toBe(302);
  expect(start.location?.startsWith(`${idp.issuer}/`)).toBe(true);
  return approveAtProvider(browser, start.location!, account);
}

async function signInWithSso(browser: TestBrowser, slug: keyof typeof tenants, account: string, next = '/') {
  return browser.get(await throughProvider(browser, slug, account, next));
}

/** Rows an SSO sign-in could leave behind, to prove a refusal left none. */
async function footprint() {
  const count = async (table: string) =>
    Number(((await api.db(table).count({ n: '*' }).first()) as { n: number | string }).n);
  return {
    identities: await count('identities'),
    links: await count('identity_sso_links'),
    sessions: await count('sessions'),
  };
}

/** JSON columns come back parsed or as text depending on the server (MySQL vs MariaDB). */
const json = (v: unknown): unknown => (typeof v === 'string' ? JSON.parse(v) : v);

const sessionOf = (browser: TestBrowser, slug: keyof typeof tenants) =>
  browser.cookie(`${slug}.localhost`, 'solar_session');

async function whoAmI(browser: TestBrowser, slug: keyof typeof tenants) {
  const res = await browser.get(`${origin(slug)}/auth/session`);
  return { status: res.status, body: JSON.parse(res.text) as { user?: { id: string; email: string } } };
}

describe('SSO sign-in through the tenant’s OpenID provider', () => {
  it('creates the member just in time, signs them in with a session cookie and lands on `next`', async () => {
    const browser = new TestBrowser();
    const start = await browser.get(`${origin('acme')}/auth/sso/start?next=%2Fleads%3Fstage%3Dnew`);
    const authorize = new URL(start.location!);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('client_id')).toBe('acme-crm');
    const flowCookie = start.setCookies.find((c) => c.startsWith(`${FLOW_COOKIE}=`))!;
    expect(flowCookie).toMatch(/HttpOnly/);
    expect(flowCookie).toMatch(/SameSite=Lax/);
    expect(flowCookie).toMatch(/Path=\/auth\/sso/);

    const done = await browser.get(await approveAtProvider(browser, start.location!, 'ana'));
    expect(done.status).toBe(302);
    expect(done.location).toBe(`${origin('acme')}/leads?stage=new`);
    expect(sessionOf(browser, 'acme')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(browser.cookie('acme.localhost', FLOW_COOKIE)).toBeUndefined();

    const me = await whoAmI(browser, 'acme');
    expect(me.status).toBe(200);
    expect(me.body.user?.email).toBe('ana@acme.test');

    const identity = await api
      .db('identities')
      .first()
      .where({ tenant_id: tenants.acme.id, email: 'ana@acme.test' });
    expect(identity).toMatchObject({ display_name: 'Ana Alvarez', password_hash: null, status: 'active' });
    const link = await api.db('identity_sso_links').first().where({ identity_id: identity.id });
    expect(link).toMatchObject({ issuer: idp.issuer, subject: 'ana', default_role: 'sales_rep' });
    const event = await api
      .db('security_events')
      .first()
      .where({ identity_id: identity.id, type: 'sign_in' });
    expect(json(event.details)).toMatchObject({ method: 'sso', via: 'created' });
  });

  it('reuses the linked member on the next sign-in, even from a fresh browser', async () => {
    const first = await api.db('identities').first('id').where({ email: 'ana@acme.test' });
    const before = await footprint();
    const browser = new TestBrowser();
    const done = await signInWithSso(browser, 'acme', 'ana');
    expect(done.location).toBe(`${origin('acme')}/`);
    expect((await whoAmI(browser, 'acme')).body.user?.id).toBe(first.id);
    expect(await footprint()).toEqual({ ...before, sessions: before.sessions + 1 });
  });

  it('links an existing password member by verified email, without touching their role or password', async () => {
    const ben = await createIdentity(api.db, {
      tenantId: tenants.acme.id,
      email: 'ben@acme.test',
      displayName: 'Ben',
      password: 'quartz tangerine harbour 91',
    });
    const hash = (await api.db('identities').first('password_hash').where({ id: ben.id })).password_hash;
    const browser = new TestBrowser();
    expect((await signInWithSso(browser, 'acme', 'ben')).location).toBe(`${origin('acme')}/`);
    expect((await whoAmI(browser, 'acme')).body.user?.id).toBe(ben.id);
    const link = await api.db('identity_sso_links').first().where({ identity_id: ben.id });
    expect(link).toMatchObject({ subject: 'ben', default_role: null });
    expect((await api.db('identities').first('password_hash').where({ id: ben.id })).password_hash).toBe(
      hash,
    );
  });

  it('refuses a callback whose state does not match the flow, and creates nothing', async () => {
    const before = await footprint();
    const browser = new TestBrowser();
    const callback = new URL(await throughProvider(browser, 'acme', 'cara'));
    callback.searchParams.set('state', 'forged-state-value');
    const res = await browser.get(callback.href);
    expect(res.location).toBe(`${origin('acme')}/sign-in?error=sso_state_invalid`);
    expect(sessionOf(browser, 'acme')).toBeUndefined();
    expect(await footprint()).toEqual(before);
  });

  it('refuses an ID token whose nonce is not the one this flow sent, and creates nothing', async () => {
    const before = await footprint();
    const browser = new TestBrowser();
    const start = await browser.get(`${origin('acme')}/auth/sso/start`);
    const authorize = new URL(start.location!);
    authorize.searchParams.set('nonce', 'a-nonce-the-flow-never-issued');
    const res = await browser.get(await approveAtProvider(browser, authorize.href, 'cara'));
    expect(res.location).toBe(`${origin('acme')}/sign-in?error=sso_failed`);
    expect(await footprint()).toEqual(before);
    const refusal = logLines.filter((l) => l.includes('"sso_refused"')).at(-1);
    expect(refusal).toContain('(claim nonce)');
  });

  it('refuses a replayed callback, with or without the spent flow cookie', async () => {
    const browser = new TestBrowser();
    const callback = await throughProvider(browser, 'acme', 'dan');
    const flow = browser.cookie('acme.localhost', FLOW_COOKIE)!;
    expect((await browser.get(callback)).location).toBe(`${origin('acme')}/`);
    const before = await footprint();

    // the browser dropped the flow cookie: nothing to match the answer against
    const replay = await browser.get(callback);
    expect(replay.location).toBe(`${origin('acme')}/sign-in?error=sso_state_invalid`);
    // an attacker who kept a copy of it: the provider refuses the spent code
    const attacker = new TestBrowser();
    attacker.setCookie('acme.localhost', FLOW_COOKIE, flow, '/auth/sso');
    const stolen = await attacker.get(callback);
    expect(stolen.location).toBe(`${origin('acme')}/sign-in?error=sso_failed`);
    expect(sessionOf(attacker, 'acme')).toBeUndefined();
    expect(await footprint()).toEqual(before);
  });

  it("refuses to finish tenant A's sign-in on tenant B's host, and creates nothing in either", async () => {
    const before = await footprint();
    const browser = new TestBrowser();
    const callback = new URL(await throughProvider(browser, 'acme', 'cara'));
    // Deliver A's answer, with A's flow cookie carried over, to B's host.
    browser.setCookie(
      'bolt.localhost',
      FLOW_COOKIE,
      browser.cookie('acme.localhost', FLOW_COOKIE)!,
      '/auth/sso',
    );
    callback.host = tenants.bolt.host;
    const res = await browser.get(callback.href);
    expect(res.location).toBe(`${origin('bolt')}/sign-in?error=sso_state_invalid`);
    expect(sessionOf(browser, 'bolt')).toBeUndefined();
    expect(await footprint()).toEqual(before);
  });

  it('refuses an email the provider has not verified', async () => {
    const before = await footprint();
    const res = await signInWithSso(new TestBrowser(), 'acme', 'una');
    expect(res.location).toBe(`${origin('acme')}/sign-in?error=sso_email_unverified`);
    expect(await footprint()).toEqual(before);
  });

  it("refuses an email outside the workspace's allowed domains", async () => {
    const before = await footprint();
    const res = await signInWithSso(new TestBrowser(), 'acme', 'eve');
    expect(res.location).toBe(`${origin('acme')}/sign-in?error=sso_domain_not_allowed`);
    // …and another workspace's domain list is its own: bo@bolt.test is fine on bolt, not on acme
    expect((await signInWithSso(new TestBrowser(), 'acme', 'bo')).location).toContain(
      'error=sso_domain_not_allowed',
    );
    expect(await footprint()).toEqual(before);
    const bolt = new TestBrowser();
    expect((await signInWithSso(bolt, 'bolt', 'bo')).location).toBe(`${origin('bolt')}/`);
    const link = await api.db('identity_sso_links').first().where({ tenant_id: tenants.bolt.id });
    expect(link).toMatchObject({ subject: 'bo', default_role: 'field_tech' });
  });

  it('sends nobody to the provider while SSO is disabled or not set up, and refuses a flow disabled midway', async () => {
    for (const slug of ['cold', 'bare'] as const) {
      const res = await new TestBrowser().get(`${origin(slug)}/auth/sso/start`);
      expect(res.status).toBe(302);
      expect(res.location).toBe(`${origin(slug)}/sign-in?error=sso_unavailable`);
    }
    const before = await footprint();
    const browser = new TestBrowser();
    const callback = await throughProvider(browser, 'acme', 'cara');
    await disableTenantSso(api.db, tenants.acme.id);
    try {
      expect((await browser.get(callback)).location).toBe(`${origin('acme')}/sign-in?error=sso_unavailable`);
    } finally {
      await api.db('tenant_sso').where({ tenant_id: tenants.acme.id }).update({ enabled: true });
    }
    expect(await footprint()).toEqual(before);
  });

  it('reports a sign-in the person cancelled at the provider', async () => {
    const browser = new TestBrowser();
    const start = await browser.get(`${origin('acme')}/auth/sso/start`);
    const state = new URL(start.location!).searchParams.get('state')!;
    const res = await browser.get(`${origin('acme')}/auth/sso/callback?error=access_denied&state=${state}`);
    expect(res.location).toBe(`${origin('acme')}/sign-in?error=sso_provider_denied`);
  });

  it('never redirects to another site after sign-in', async () => {
    for (const next of ['https://evil.test/x', '//evil.test/x', '/\\evil.test']) {
      const res = await signInWithSso(new TestBrowser(), 'acme', 'ana', next);
      expect(res.location).toBe(`${origin('acme')}/`);
    }
  });

  it('never shows the client secret in a response, a redirect, the database in clear, or a log line', async () => {
    const browser = new TestBrowser();
    await signInWithSso(browser, 'acme', 'ana');
    await signInWithSso(browser, 'acme', 'eve');
    expect(browser.seen.length).toBeGreaterThan(5);
    for (const res of browser.seen) {
      const all = [res.text, res.location ?? '', ...res.setCookies].join('\n');
      expect(all).not.toContain(ACME_SECRET);
    }
    expect(logLines.length).toBeGreaterThan(10);
    expect(logLines.join('\n')).not.toContain(ACME_SECRET);
    expect(logLines.join('\n')).not.toContain(BOLT_SECRET);
    const row = await api.db('tenant_sso').first().where({ tenant_id: tenants.acme.id });
    expect(JSON.stringify(row)).not.toContain(ACME_SECRET);
  });
});
