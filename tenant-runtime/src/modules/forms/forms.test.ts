import { generateInternalKeys, importInternalKey, signInternalToken } from '@solar/common';
import type { TestTenant } from '@solar/operator/testing';
import {
  startHarness,
  type Harness,
  type TestResponse,
} from '@solar/platform-api/testing/platform-api-harness';
import type { CryptoKey } from 'jose';
import { createServer, type Server } from 'node:http';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

/*
 * Web-form lead capture end to end: a visitor's browser → platform-api POST /forms/:key (tenant by host,
 * CORS by the form's origins, rate limit in Redis) → the real runtime (form principal) → the lead services.
 */

const ADMIN = '0190a000-0000-7000-8000-0000000002a0';
const REP = '0190a000-0000-7000-8000-0000000002a1';
const SITE = 'https://www.sunny-installs.example';

let rt: TestRuntime;
let api: Harness;
let privateKey: CryptoKey;
const tenant = {} as Record<'a' | 'b', TestTenant & { host: string }>;

const token = (t: TestTenant, sub: string, scopes = ['*']) =>
  signInternalToken({ tid: t.id, tslug: t.slug, sub, sid: `s-${sub}`, scopes }, privateKey);
async function gql(t: TestTenant, query: string, variables?: Record<string, unknown>) {
  const res = await rt.graphql(await token(t, ADMIN), query, variables);
  expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  return res.body.data as any;
}

const CREATE_FORM = `mutation($i: CreateLeadFormInput!) { createLeadForm(input: $i) { formKey formHtml form { id keyPrefix } } }`;
async function newForm(t: TestTenant, extra: Record<string, unknown> = {}) {
  const { createLeadForm } = await gql(t, CREATE_FORM, {
    i: {
      name: 'Website quote form',
      defaultSource: 'WEB_FORM',
      allowedOrigins: [SITE],
      fields: ['EMAIL', 'PHONE', 'POSTAL_CODE', 'MONTHLY_BILL'],
      requiredFields: ['EMAIL'],
      minFillSeconds: 0,
      ...extra,
    },
  });
  return createLeadForm as { formKey: string; formHtml: string; form: { id: string; keyPrefix: string } };
}

const call = (
  t: { host: string },
  method: 'GET' | 'POST' | 'OPTIONS',
  key: string,
  options: {
    body?: string;
    type?: string;
    origin?: string | null;
    ip?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<TestResponse> =>
  api.call(method, `/forms/${key}`, {
    host: t.host,
    headers: {
      ...(options.origin === null ? {} : { origin: options.origin ?? SITE }),
      ...(options.body !== undefined ? { 'content-type': options.type ?? 'application/json' } : {}),
      'x-forwarded-for': options.ip ?? '203.0.113.7',
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });

/** What the embed script does: load the form (signed start time), then post the visitor's fields. */
async function submit(
  t: { host: string },
  key: string,
  fields: Record<string, string>,
  options: { ip?: string; urlencoded?: boolean } = {},
) {
  const loaded = await call(t, 'GET', key, options);
  expect(loaded.status, loaded.text).toBe(200);
  const all = { ...fields, startedToken: loaded.json<{ startedToken: string }>().startedToken };
  return options.urlencoded
    ? call(t, 'POST', key, {
        ...options,
        body: new URLSearchParams(all).toString(),
        type: 'application/x-www-form-urlencoded',
      })
    : call(t, 'POST', key, { ...options, body: JSON.stringify(all) });
}

const leadsOf = async (t: TestTenant, email: string) =>
  (
    await gql(
      t,
      `query($s: String) { leads(first: 10, filter: { search: $s }) { totalCount edges { node {
       id firstName phone monthlyBill source score assignmentStrategy assignmentReason ownerId } } } }`,
      { s: email },
    )
  ).leads as { totalCount: number; edges: Array<{ node: Record<string, unknown> }> };

beforeAll(async () => {
  const keys = await generateInternalKeys();
  privateKey = await importInternalKey(keys.privateJwk);
  rt = await startTestRuntime({ env: { INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk) } });
  api = await startHarness({
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    TRUST_PROXY: 'true',
    FORM_RATE_LIMIT: '4',
  });
  for (const name of ['a', 'b'] as const) {
    const t = await rt.provisionTenant();
    // the front door's registry row for the same tenant, routed to this runtime
    await api.platform.db('tenants').insert({
      id: t.id,
      slug: t.slug,
      display_name: t.slug,
      phase: 'Ready',
      endpoint: rt.url,
      suspended: false,
    });
    tenant[name] = Object.assign(t, { host: `${t.slug}.${api.config.BASE_DOMAIN}` });
    await gql(t, '{ viewer { userId } }'); // the first member becomes the admin
  }
  // a rep for the round-robin rule to hand leads to
  const a = tenant.a;
  await rt.graphql(await token(a, REP), '{ viewer { userId } }');
  await gql(a, `mutation($i: RoleGrantInput!) { grantRole(input: $i) { roleId } }`, {
    i: { memberId: REP, roleId: 'sales_rep' },
  });
  await gql(
    a,
    `mutation($i: UpdateLeadSettingsInput!) { updateLeadSettings(input: $i) { settings { assignmentRules } } }`,
    {
      i: { assignmentRules: { strategy: 'round_robin' } },
    },
  );
});
afterAll(async () => {
  await api?.close();
  await rt?.close();
});

describe('lead forms (admin GraphQL)', () => {
  it('creates a form with a key shown once and stores only its hash', async () => {
    const { formKey, form } = await newForm(tenant.a);
    expect(formKey).toMatch(/^fk_[A-Za-z0-9_-]{32}$/);
    expect(formKey.startsWith(form.keyPrefix)).toBe(true);
    const row = await tenant.a.db('lead_forms').where({ id: form.id }).first();
    expect(JSON.stringify(row)).not.toContain(formKey.slice(3));
    const listed = (await gql(tenant.a, '{ leadForms { id keyPrefix enabled fields requiredFields } }'))
      .leadForms;
    expect(listed).toContainEqual({
      id: form.id,
      keyPrefix: form.keyPrefix,
      enabled: true,
      fields: ['EMAIL', 'PHONE', 'POSTAL_CODE', 'MONTHLY_BILL'],
      requiredFields: ['EMAIL'],
    });
    const rep = await rt.graphql(await token(tenant.a, REP), '{ leadForms { id } }');
    expect(rep.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const bad = await rt.graphql(await token(tenant.a, ADMIN), CREATE_FORM, {
      i: { name: '', defaultSource: 'WEB_FORM', allowedOrigins: ['ftp://x'], requiredFields: ['NOTES'] },
    });
    expect(Object.keys(bad.body.errors[0].extensions.fields)).toEqual(
      expect.arrayContaining(['input.name', 'input.allowedOrigins.0', 'input.requiredFields']),
    );
  });
});

describe('POST /forms/:key through platform-api', () => {
  it('creates one scored, assigned lead, answering without its id; a repeat merges into it', async () => {
    const { formKey } = await newForm(tenant.a);
    const first = await submit(
      tenant.a,
      formKey,
      {
        firstName: 'Maya',
        lastName: 'Lopez',
        email: 'maya@example.com',
        monthlyBill: '$210',
        postalCode: '85004',
      },
      { urlencoded: true },
    );
    expect(first.status, first.text).toBe(201);
    expect(first.json()).toEqual({ received: true });
    expect(first.headers['access-control-allow-origin']).toBe(SITE);
    const [lead] = (await leadsOf(tenant.a, 'maya@example.com')).edges.map((e) => e.node);
    expect(lead).toMatchObject({ firstName: 'Maya', monthlyBill: 210, source: 'WEB_FORM' });
    expect(lead!.score).toEqual(expect.any(Number));
    expect(lead!.assignmentStrategy).toBe('ROUND_ROBIN');
    expect(lead!.assignmentReason).toEqual(expect.any(String));
    const events = await tenant.a.db('outbox').where({ entity_id: lead!.id, type: 'lead.created' });
    expect(events).toHaveLength(1);

    const again = await submit(tenant.a, formKey, {
      firstName: 'Maya',
      lastName: 'Lopez',
      email: 'Maya@Example.com',
      phone: '602-555-0142',
    });
    expect(again.status).toBe(201);
    const after = await leadsOf(tenant.a, 'maya@example.com');
    expect(after.totalCount).toBe(1);
    expect(after.edges[0]!.node).toMatchObject({ id: lead!.id, monthlyBill: 210 });
    expect(after.edges[0]!.node.phone).toEqual(expect.stringContaining('555'));
  });

  it('checks the fields the form requires, with field errors', async () => {
    const { formKey } = await newForm(tenant.a);
    const res = await submit(tenant.a, formKey, { firstName: 'Nope', monthlyBill: 'lots' });
    expect(res.status).toBe(400);
    expect(res.json<{ error: { fields: object } }>().error.fields).toMatchObject({
      lastName: ['Required'],
      email: ['Required'],
    });
    const badBill = await submit(tenant.a, formKey, {
      firstName: 'A',
      lastName: 'B',
      email: 'ab@example.com',
      monthlyBill: 'lots',
    });
    expect(badBill.status).toBe(400);
    expect(badBill.json<{ error: { fields: object } }>().error.fields).toHaveProperty('monthlyBill');
  });

  it('answers a filled honeypot 201 but stores nothing', async () => {
    const { formKey } = await newForm(tenant.a);
    const res = await submit(tenant.a, formKey, {
      firstName: 'Bot',
      lastName: 'Spam',
      email: 'bot@spam.example',
      website: 'http://spam.example',
    });
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ received: true });
    expect((await leadsOf(tenant.a, 'bot@spam.example')).totalCount).toBe(0);
  });

  it('refuses a submission sent faster than a person could fill the form in (422)', async () => {
    const { formKey } = await newForm(tenant.a, { minFillSeconds: 30 });
    const res = await submit(tenant.a, formKey, {
      firstName: 'Fast',
      lastName: 'Bot',
      email: 'fast@example.com',
    });
    expect(res.status).toBe(422);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('FORM_TOO_FAST');
    // and one with no (or a forged) start time at all
    const forged = await call(tenant.a, 'POST', formKey, {
      body: JSON.stringify({
        firstName: 'F',
        lastName: 'B',
        email: 'f@example.com',
        startedToken: `${Date.now() - 60_000}.${'x'.repeat(43)}`,
      }),
    });
    expect(forged.status).toBe(422);
    expect((await leadsOf(tenant.a, 'fast@example.com')).totalCount).toBe(0);
  });

  it('rate-limits per address and form key with 429 and Retry-After', async () => {
    const { formKey } = await newForm(tenant.a);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push(
        (
          await submit(
            tenant.a,
            formKey,
            { firstName: `R${i}`, lastName: 'Limit', email: `r${i}@example.com` },
            { ip: '198.51.100.9' },
          )
        ).status,
      );
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    const limited = await call(tenant.a, 'POST', formKey, { ip: '198.51.100.9', body: '{}' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // another address is not held back
    const other = await submit(
      tenant.a,
      formKey,
      { firstName: 'Other', lastName: 'Ip', email: 'other@example.com' },
      { ip: '198.51.100.10' },
    );
    expect(other.status).toBe(201);
  });

  it('holds a form to its daily cap: 429 with Retry-After until the UTC day ends', async () => {
    const { formKey } = await newForm(tenant.a, { dailyCap: 1 });
    const fields = (n: number) => ({ firstName: `Cap${n}`, lastName: 'Day', email: `cap${n}@example.com` });
    expect((await submit(tenant.a, formKey, fields(1), { ip: '192.0.2.1' })).status).toBe(201);
    const over = await submit(tenant.a, formKey, fields(2), { ip: '192.0.2.2' });
    expect(over.status).toBe(429);
    expect(over.json<{ error: { code: string } }>().error.code).toBe('FORM_DAILY_CAP');
    const wait = Number(over.headers['retry-after']);
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(86_400);
    expect((await leadsOf(tenant.a, 'cap2@example.com')).totalCount).toBe(0);
  });

  it('answers 404 for a disabled form and for another tenant’s form key', async () => {
    const { formKey, form } = await newForm(tenant.a);
    expect((await call(tenant.b, 'GET', formKey)).status).toBe(404);
    const crossTenant = await call(tenant.b, 'POST', formKey, { body: JSON.stringify({ firstName: 'X' }) });
    expect(crossTenant.status).toBe(404);
    await gql(
      tenant.a,
      `mutation($id: ID!) { updateLeadForm(id: $id, input: { enabled: false }) { enabled } }`,
      {
        id: form.id,
      },
    );
    expect((await call(tenant.a, 'GET', formKey)).status).toBe(404);
    expect((await call(tenant.a, 'POST', formKey, { body: '{}' })).status).toBe(404);
    expect((await call(tenant.a, 'GET', 'fk_' + 'A'.repeat(32))).status).toBe(404);
  });

  it('grants CORS only to the form’s own origins', async () => {
    const { formKey } = await newForm(tenant.a);
    const preflight = await call(tenant.a, 'OPTIONS', formKey, {
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SITE);
    expect(String(preflight.headers['access-control-allow-methods'])).toContain('POST');
    const elsewhere = await call(tenant.a, 'OPTIONS', formKey, {
      origin: 'https://evil.example',
      headers: { 'access-control-request-method': 'POST' },
    });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
    const post = await call(tenant.a, 'POST', formKey, { origin: 'https://evil.example', body: '{}' });
    expect(post.status).toBe(403);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses bodies over 16 KiB and unknown content types', async () => {
    const { formKey } = await newForm(tenant.a);
    const big = await call(tenant.a, 'POST', formKey, {
      body: JSON.stringify({ firstName: 'Big', notes: 'x'.repeat(17 * 1024) }),
    });
    expect(big.status).toBe(413);
    const xml = await call(tenant.a, 'POST', formKey, { body: '<lead/>', type: 'text/xml' });
    expect(xml.status).toBe(415);
  });
});

describe('the form principal', () => {
  it('is no member and can do nothing but send its form', async () => {
    const { formKey } = await newForm(tenant.a);
    const formToken = await token(tenant.a, `form:${formKey.slice(3, 11)}`, ['forms:submit']);
    const res = await rt.graphql(formToken, '{ leads(first: 5) { totalCount } }');
    expect(res.status).toBe(403);
    const rest = await fetch(`${rt.url}/api/v1/leads`, { headers: { authorization: `Bearer ${formToken}` } });
    expect(rest.status).toBe(403);
    // a form subject is held to the intake whatever scopes a token claims
    const widened = await token(tenant.a, `form:${formKey.slice(3, 11)}`, ['*']);
    expect((await rt.graphql(widened, '{ viewer { userId } }')).status).toBe(403);
    expect(await tenant.a.db('members').where('id', 'like', 'form:%')).toEqual([]);
    // the same key with the platform-api route still works
    expect((await call(tenant.a, 'GET', formKey)).status).toBe(200);
  });
});

describe('the embed script in a browser', () => {
  let site: Server | undefined;
  afterAll(() => site?.close());

  it('the markup the API hands out, pasted on a site, loads, waits for the visitor, posts and thanks them — one lead, no session', async () => {
    // the installer's own website, on another origin than the CRM
    let page = '';
    site = createServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(page));
    await new Promise<void>((resolve) => site!.listen(0, '127.0.0.1', resolve));
    const siteOrigin = `http://127.0.0.1:${(site.address() as { port: number }).port}`;
    const { formKey, formHtml } = await newForm(tenant.a, {
      allowedOrigins: [siteOrigin],
      minFillSeconds: 1,
      fields: ['EMAIL', 'MONTHLY_BILL', 'ROOF_TYPE'],
      requiredFields: ['EMAIL', 'ROOF_TYPE'],
    });
    expect(formHtml).toContain(`data-solar-form="${formKey}"`);
    expect(formHtml).toMatch(/<select name="roofType" required>/);
    expect(formHtml).toMatch(/<input name="monthlyBill" type="number"[^>]*>/);
    expect(formHtml).not.toMatch(/name="monthlyBill"[^>]*required/);
    const crm = `http://${tenant.a.host}:${new URL(api.api.url).port}`;
    page = `<!doctype html><title>Sunny Installs</title>
      ${formHtml}
      <script src="${crm}/forms/embed.js"></script>`;

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const tab = await browser.newPage();
      await tab.goto(siteOrigin);
      await tab.locator('input[name="startedToken"]').waitFor({ state: 'attached' });
      await tab.getByLabel('First name').fill('Rosa');
      await tab.getByLabel('Last name').fill('Diaz');
      await tab.getByLabel('Email').fill('rosa.diaz@example.com');
      await tab.getByLabel('Average monthly electric bill ($)').fill('180');
      await tab.getByLabel('Roof type').selectOption({ label: 'Asphalt shingle' });
      await tab.waitForTimeout(1_100);
      await tab.click('button');
      await expect
        .poll(() => tab.locator('[data-solar-status]').textContent(), { timeout: 10_000 })
        .toBe('Thank you! We will be in touch soon.');
    } finally {
      await browser.close();
    }
    const leads = await leadsOf(tenant.a, 'rosa.diaz@example.com');
    expect(leads.totalCount).toBe(1);
    expect(leads.edges[0]!.node).toMatchObject({ firstName: 'Rosa', source: 'WEB_FORM' });
    const [stored] = await tenant.a
      .db('leads')
      .where({ email: 'rosa.diaz@example.com' })
      .select('roof_type', 'monthly_bill');
    expect(stored).toMatchObject({ roof_type: 'asphalt_shingle', monthly_bill: '180.00' });
  });
});
