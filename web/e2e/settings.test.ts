/**
 * Workspace security settings in a real browser against the real stack: an administrator creates an API
 * key (seen once, works, then revoked and refused), reorders the sales pipeline, invites a member who accepts
 * through the link and is signed in, and every new screen fits a 320 px phone.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '@solar/tenant-runtime/modules/webhooks/webhook-signature';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';
import { graphqlIn } from './graphql-in-page.js';

const stack = inject('stack');
const PASSWORD = 'SolarDemo-2026!';
const ADMIN = 'ava.admin@acme.example';
/** a sales manager no other browser test signs in as */
const MANAGER = 'marcus.sales@acme.example';

let browser: Browser;
let admin: Page;
const contexts: BrowserContext[] = [];

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

async function signIn(page: Page, email: string) {
  await page.goto(`${stack.web}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(/\/leads/);
}

beforeAll(async () => {
  browser = await launchBrowser();
  admin = await newPage();
  await signIn(admin, ADMIN);
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

/**
 * Whether a password sign-in now has to set up MFA. platform-api caches the workspace record for a few
 * seconds (tenancy README), so a policy change is waited for, not assumed.
 */
async function enrolmentRequired(): Promise<boolean> {
  const response = await fetch(`${stack.platformApi}/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-tenant': stack.tenant, 'x-session-mode': 'bearer' },
    body: JSON.stringify({ email: ADMIN, password: PASSWORD }),
  });
  const body = (await response.json()) as { mfaEnrollmentRequired?: boolean };
  return body.mfaEnrollmentRequired === true;
}

/** The GraphQL API as an integrator calls it with a key. */
const askWithKey = (key: string) =>
  fetch(`${stack.platformApi}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'x-tenant': stack.tenant },
    body: JSON.stringify({ query: '{ viewer { userId } }' }),
  });

describe('workspace settings', () => {
  it('an admin creates an API key, sees it once, it works, and once revoked it is refused', async () => {
    await admin.goto(`${stack.web}/settings/api-keys`);
    await admin.getByText('New API key').click();
    await admin.getByLabel('Name').fill('Website lead form');
    await admin.getByLabel(/Read leads/).check();
    await admin.getByLabel(/Create leads/).check();
    await admin.getByLabel('Expires').selectOption('30');
    await admin.getByRole('button', { name: 'Create API key' }).click();

    const shown = admin.getByTestId('new-secret');
    await shown.waitFor();
    const key = (await shown.locator('.value code').textContent())!.trim();
    expect(key).toMatch(/^sk_live_/);
    await screenshot(admin, 'settings-api-key-created-1280');
    expect((await askWithKey(key)).status).toBe(200);

    // shown once: a fresh load lists it by prefix only
    await admin.reload();
    expect(await admin.getByTestId('new-secret').count()).toBe(0);
    const row = admin.getByRole('row', { name: /Website lead form/ });
    expect(await row.textContent()).toContain(key.slice(0, 16));
    expect(await row.textContent()).not.toContain(key);
    expect(await row.textContent()).toContain('leads:read');

    await row.getByText('Revoke', { exact: true }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => admin.getByRole('row', { name: /Website lead form/ }).count()).toBe(0);
    expect((await askWithKey(key)).status).toBe(401);
  });

  it('an admin creates an OAuth client; it gets tokens until it is revoked', async () => {
    const token = (clientId: string, secret: string) =>
      fetch(`${stack.platformApi}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
          'x-tenant': stack.tenant,
        },
        body: 'grant_type=client_credentials',
      });
    await admin.goto(`${stack.web}/settings/integrations/oauth`);
    await admin.getByText('New OAuth client').click();
    await admin.getByLabel('Name').fill('ERP sync');
    await admin.getByLabel(/Read customers/).check();
    await admin.getByRole('button', { name: 'Create OAuth client' }).click();
    const shown = admin.getByTestId('new-secret');
    await shown.waitFor();
    const clientId = (await shown.locator('.pair code').textContent())!.trim();
    const secret = (await shown.locator('.value code').textContent())!.trim();
    expect((await token(clientId, secret)).status).toBe(200);

    await admin.reload();
    const row = admin.getByRole('row', { name: /ERP sync/ });
    expect(await row.textContent()).toContain(clientId);
    expect(await admin.content()).not.toContain(secret);
    await row.getByText('Revoke', { exact: true }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await expect.poll(() => admin.getByRole('row', { name: /ERP sync/ }).count()).toBe(0);
    expect((await token(clientId, secret)).status).toBe(401);
  });

  it('an admin creates a web lead form, pastes its markup, and switching it off takes it down', async () => {
    const publicForm = (key: string) =>
      fetch(`${stack.platformApi}/forms/${key}`, { headers: { 'x-tenant': stack.tenant } });
    await admin.goto(`${stack.web}/settings/lead-forms`);
    const rowsBefore = await admin.getByRole('row').count();

    // no site named: a field message, nothing created
    await admin.getByRole('button', { name: 'New lead form' }).click();
    await admin.getByLabel('Name').fill('Spring promo form');
    await admin.getByRole('button', { name: 'Create form' }).click();
    await expect.poll(() => admin.getByText('Name at least one site').count()).toBe(1);
    expect(await admin.getByRole('row').count()).toBe(rowsBefore);

    await admin.getByLabel('Sites allowed to post it').fill('https://www.sunny-installs.example/quote/');
    await admin.getByLabel('Roof type').selectOption('required');
    await admin.getByRole('button', { name: 'Create form' }).click();
    const shown = admin.getByTestId('form-snippet');
    await shown.waitFor();
    const snippet = (await shown.locator('pre').textContent())!;
    const key = /data-solar-form="(fk_[A-Za-z0-9_-]+)"/.exec(snippet)?.[1];
    expect(key).toBeTruthy();
    expect(snippet).toContain('<select name="roofType" required>');
    expect(snippet).toContain(`${new URL(stack.platformApi).port}/forms/embed.js`);
    await screenshot(admin, 'settings-lead-form-created-1280');

    const described = (await (await publicForm(key!)).json()) as {
      fields: { name: string; required: boolean }[];
    };
    expect(described.fields).toContainEqual({ name: 'roofType', required: true });

    // the key is shown once; the list knows the form by its prefix
    await admin.reload();
    expect(await admin.getByTestId('form-snippet').count()).toBe(0);
    const row = admin.getByRole('row', { name: /Spring promo form/ });
    expect(await row.textContent()).toContain('Roof type*');
    expect(await row.textContent()).not.toContain(key!);

    await row.getByRole('button', { name: 'Switch off Spring promo form' }).click();
    await expect.poll(async () => (await publicForm(key!)).status).toBe(404);
    await expect
      .poll(() => admin.getByRole('row', { name: /Spring promo form/ }).textContent())
      .toContain('Off');
  });

  it('an admin adds a webhook; a new lead is posted to it, signed, and the delivery shows as delivered', async () => {
    const received: { signature: string; body: string }[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ signature: String(req.headers['solar-signature']), body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/solar`;
    try {
      await admin.goto(`${stack.web}/settings/webhooks`);
      await admin.getByRole('button', { name: 'New webhook' }).click();
      const drawer = admin.getByRole('dialog');
      await drawer.getByLabel('Endpoint URL').fill(endpoint);
      // no events chosen: said, nothing created
      await drawer.getByRole('button', { name: 'Create webhook' }).click();
      await expect.poll(() => drawer.getByText('name at least one event').count()).toBe(1);
      await drawer.getByLabel(/Leads/).check();
      await drawer.getByRole('button', { name: 'Create webhook' }).click();
      const shown = admin.getByTestId('webhook-secret');
      await shown.waitFor();
      const secret = (await shown.locator('code.value').textContent())!.trim();

      const leadId = (
        await graphqlIn<{ createLead: { lead: { id: string } } }>(
          admin,
          'mutation($i: CreateLeadInput!) { createLead(input: $i) { lead { id } } }',
          { i: { firstName: 'Hook', lastName: 'Probe', source: 'PARTNER' } },
        )
      ).createLead.lead.id;
      await expect
        .poll(() => received.find((r) => r.body.includes(leadId)), { timeout: 20_000 })
        .toBeTruthy();
      const delivery = received.find((r) => r.body.includes(leadId))!;
      expect(verifySignature(secret, delivery.body, delivery.signature)).toBe(true);
      expect(JSON.parse(delivery.body)).toMatchObject({
        type: 'lead.created',
        data: { type: 'Lead', id: leadId },
      });

      await expect
        .poll(
          async () => {
            await admin.reload();
            return admin.getByRole('region', { name: `Webhook ${endpoint}` }).textContent();
          },
          // a page load a second: a person reloading, not a load test (rate limits apply)
          { timeout: 20_000, interval: 1_000 },
        )
        .toContain('Delivered (204)');
      await screenshot(admin, 'settings-webhooks-1280');

      await graphqlIn(admin, 'mutation($id: ID!) { deleteLead(id: $id) { deletedId } }', { id: leadId });
      const hook = admin.getByRole('region', { name: `Webhook ${endpoint}` });
      await hook.getByRole('button', { name: 'Delete' }).click();
      await hook.getByRole('button', { name: 'Delete webhook' }).click();
      await expect.poll(() => admin.getByRole('region', { name: `Webhook ${endpoint}` }).count()).toBe(0);
    } finally {
      receiver.close();
    }
  });

  it('an admin reorders the pipeline and changes a stage; the board follows (then puts it back)', async () => {
    await admin.goto(`${stack.web}/settings/pipeline`);
    const rows = admin.locator('tr[data-stage-id]');
    const order = () => rows.evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset['stageId']));
    const before = await order();
    const [first, second] = before as [string, string];
    const nameOf = async (id: string) =>
      (await admin.locator(`tr[data-stage-id="${id}"] td`).nth(1).textContent())!.trim();
    const secondName = await nameOf(second);
    await admin.getByRole('button', { name: `Move ${secondName} up` }).click();
    await expect.poll(order).toEqual([second, first, ...before.slice(2)]);
    await admin.goto(`${stack.web}/pipeline`);
    const columns = () =>
      admin
        .locator('[data-stage]')
        .evaluateAll((cols) => cols.map((c) => (c as HTMLElement).dataset['stage']));
    await expect.poll(async () => (await columns()).slice(0, 2)).toEqual([second, first]);

    await admin.goto(`${stack.web}/settings/pipeline`);
    await admin.getByRole('button', { name: `Move ${secondName} down` }).click();
    await expect.poll(order).toEqual(before);

    const firstName = await nameOf(first);
    const probability = admin.locator(`tr[data-stage-id="${first}"] td`).nth(2);
    const was = (await probability.textContent())!.trim();
    const setProbability = async (value: string) => {
      await admin.getByRole('button', { name: `Edit ${firstName}` }).click();
      const drawer = admin.getByRole('dialog');
      const field = drawer.getByLabel(/^Win probability/);
      // a percentage above 100 is refused beside the field
      await field.fill('101');
      await drawer.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
      await field.fill(value);
      await drawer.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(async () => (await probability.textContent())!.trim()).toBe(`${value}%`);
    };
    await setProbability(was === '15%' ? '16' : '15');
    await setProbability(was.replace('%', ''));
  });

  it('an admin changes the lead-scoring rules; a bad band is refused beside it; built-in rules come back', async () => {
    await admin.goto(`${stack.web}/settings/lead-scoring`);
    const rules = admin.getByRole('form', { name: 'Lead scoring rules' });
    const referral = rules.getByLabel('Source Referral: points');
    await referral.fill('30');
    // a band that ends before it starts: the API's message lands beside it, nothing is stored
    const upTo = rules.getByLabel('Monthly electricity bill ($) band 1: up to');
    const was = await upTo.inputValue();
    await upTo.fill('0');
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => upTo.getAttribute('aria-invalid')).toBe('true');
    expect(await rules.textContent()).toContain('max must be above min');
    await upTo.fill(was);
    await rules.getByRole('button', { name: 'Save rules' }).click();
    await expect.poll(() => admin.getByText('Your rules', { exact: true }).count()).toBe(1);
    await admin.reload();
    expect(await rules.getByLabel('Source Referral: points').inputValue()).toBe('30');
    await screenshot(admin, 'settings-lead-scoring-1280');

    await rules.getByRole('button', { name: 'Restore built-in rules' }).click();
    await expect.poll(() => admin.getByText('Built-in rules', { exact: true }).count()).toBe(1);
    expect(await rules.getByLabel('Source Referral: points').inputValue()).toBe('20');
  });

  it('an admin routes a postcode to one rep; a new lead from there goes to them, saying why', async () => {
    /** the answers this test reads (each query asks for one of these) */
    type Answer = {
      data: {
        leadSettings: { assignmentRules: { strategy: string } | null };
        createLead: { lead: { id: string; ownerId: string; assignmentReason: string } };
        members: { id: string; displayName: string }[];
      };
    };
    await admin.goto(`${stack.web}/settings/lead-assignment`);
    const gql = async (query: string, variables: Record<string, unknown> = {}) => ({
      data: await graphqlIn<Answer['data']>(admin, query, variables),
    });
    const original = (await gql('{ leadSettings { assignmentRules } }')).data.leadSettings.assignmentRules;
    const restore = `mutation($r: JSONObject) { updateLeadSettings(input: { assignmentRules: $r }) { settings { updatedAt } } }`;
    try {
      const rules = admin.getByRole('form', { name: 'Lead assignment rules' });
      await rules.getByLabel('How leads are assigned').selectOption('territory');
      await rules.getByRole('button', { name: 'Add territory' }).click();
      const territory = rules.getByRole('group', { name: 'Territory 1' });
      await territory.getByLabel(/^Name\b/).fill('Phoenix core');
      await territory.getByLabel('Postcode prefixes').fill('850');
      // a range it cannot read is said beside the field, and nothing is saved
      await territory.getByLabel('Postcode ranges').fill('85xxx');
      await rules.getByRole('button', { name: 'Save assignment' }).click();
      await expect
        .poll(() => territory.getByLabel('Postcode ranges').getAttribute('aria-invalid'))
        .toBe('true');
      await territory.getByLabel('Postcode ranges').fill('');
      await territory.getByLabel('Assign to').selectOption('member');
      await territory.getByLabel('Member').selectOption({ label: 'Priya Patel' });
      await rules.getByRole('button', { name: 'Save assignment' }).click();
      await expect
        .poll(
          async () =>
            (await gql('{ leadSettings { assignmentRules } }')).data.leadSettings.assignmentRules?.strategy,
        )
        .toBe('territory');

      const created = await gql(
        `mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id ownerId assignmentReason } } }`,
        { input: { firstName: 'Territory', lastName: 'Check', source: 'WEB_FORM', postalCode: '85004' } },
      );
      const lead = created.data.createLead.lead;
      await gql(`mutation($id: ID!) { deleteLead(id: $id) { deletedId } }`, { id: lead.id });
      const priya = (await gql('{ members { id displayName } }')).data.members.find(
        (m) => m.displayName === 'Priya Patel',
      );
      expect(lead.ownerId).toBe(priya?.id);
      expect(lead.assignmentReason).toContain('Phoenix core');
    } finally {
      await gql(restore, { r: original });
    }
  });

  it('an admin adds a module to the equipment catalogue, reprices it and retires it', async () => {
    await admin.goto(`${stack.web}/settings/equipment`);
    const model = `E2E ${Date.now().toString(36)} 440`;
    await admin.getByRole('button', { name: 'Add module' }).click();
    const drawer = admin.getByRole('dialog');
    await drawer.getByLabel(/^Manufacturer/).fill('Silfab');
    await drawer.getByLabel(/^Model/).fill(model);
    await drawer.getByLabel(/^Your cost/).fill('185');
    await drawer.getByLabel(/^Price/).fill('305');
    // a module needs its watts: said beside the field, nothing added
    await drawer.getByRole('button', { name: 'Add to catalogue' }).click();
    await expect.poll(() => drawer.getByLabel(/^Nameplate/).getAttribute('aria-invalid')).toBe('true');
    await drawer.getByLabel(/^Nameplate/).fill('440');
    await drawer.getByRole('button', { name: 'Add to catalogue' }).click();
    const row = admin.locator('tr[data-item-id]').filter({ hasText: model });
    await expect.poll(() => row.textContent()).toContain('$305.00');
    expect(await row.textContent()).toContain('440 W');

    await row.getByRole('button', { name: /^Edit/ }).click();
    await admin
      .getByRole('dialog')
      .getByLabel(/^Price/)
      .fill('299');
    await admin.getByRole('dialog').getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => row.textContent()).toContain('$299.00');

    await row.getByRole('button', { name: /^Retire/ }).click();
    await expect.poll(() => row.textContent()).toContain('Retired');
  });

  it('an admin invites a member; the invitee accepts through the one-time link and is signed in', async () => {
    const email = `invitee.${Date.now()}@acme.example`;
    await admin.goto(`${stack.web}/settings/invitations`);
    await admin.getByLabel('Email').fill(email);
    await admin.getByLabel('Role').selectOption({ label: 'Sales rep' });
    await admin.getByRole('button', { name: 'Send invitation' }).click();
    const sent = admin.getByTestId('invitation-sent');
    await sent.waitFor();
    // no SMTP on the local stack: the admin is shown the link once, as platform-api returned it
    const link = (await sent.locator('code').textContent())!.trim();
    expect(link).toMatch(/\/invit(e|ations)\/[A-Za-z0-9_-]{16,}$/);
    expect(
      await admin.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }).textContent(),
    ).toContain('Pending');
    await screenshot(admin, 'settings-invitations-1280');

    const invitee = await newPage(375);
    // the link names the workspace's host; the test stack serves it on its own port
    await invitee.goto(`${stack.web}${new URL(link).pathname}`);
    await expect.poll(() => invitee.getByRole('heading', { name: /^Join / }).count()).toBe(1);
    expect(await invitee.getByText(email).count()).toBe(1);
    await invitee.getByLabel('Your name').fill('Ines Invitee');
    await invitee.getByLabel('Password').fill('password1234');
    await invitee.getByRole('button', { name: /^Join / }).click();
    await expect.poll(() => invitee.locator('[aria-invalid="true"]').count()).toBe(1);
    await screenshot(invitee, 'invite-accept-375');

    await invitee.getByLabel('Password').fill('copper kettle marching seventeen');
    await invitee.getByRole('button', { name: /^Join / }).click();
    await invitee.waitForURL((url) => !url.pathname.startsWith('/invite'));
    await invitee.goto(`${stack.web}/account`);
    await expect.poll(() => invitee.getByText(`Ines Invitee · ${email}`).count()).toBe(1);

    // the link worked once
    const again = await newPage();
    await again.goto(`${stack.web}${new URL(link).pathname}`);
    await expect.poll(() => again.getByText(/already been used/).count()).toBe(1);
    await admin.reload();
    expect(
      await admin.getByRole('row', { name: new RegExp(email.replace(/\./g, '\\.')) }).textContent(),
    ).toContain('Accepted');
  });

  it('an admin requires two-factor authentication; a member without it sets it up at sign-in', async () => {
    await admin.goto(`${stack.web}/settings/security`);
    await admin.getByRole('button', { name: 'Require for everyone' }).click();
    await expect.poll(() => admin.getByText('Required for everyone').count()).toBe(1);
    try {
      await expect.poll(enrolmentRequired, { timeout: 10_000, interval: 1_000 }).toBe(true);
      const member = await newPage();
      await member.goto(`${stack.web}/sign-in`);
      await member.getByLabel('Email').fill(MANAGER);
      await member.getByLabel('Password').fill(PASSWORD);
      await member.getByRole('button', { name: 'Sign in', exact: true }).click();
      await member.waitForURL(/\/sign-in\/two-factor/);
      expect(await member.getByRole('img', { name: /QR code/ }).count()).toBe(1);
      // the app shows the code: here the key typed by hand (from "Can't scan it?") into otplib
      await member.getByText("Can't scan it?").click();
      const secret = (await member.getByTestId('mfa-secret').textContent())!.replace(/\s/g, '');
      await screenshot(member, 'two-factor-setup-1280');
      await member.getByLabel('6-digit code').fill('000000');
      await member.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
      await expect.poll(() => member.getByText("That code didn't match").count()).toBe(1);
      await member.getByLabel('6-digit code').fill(await generate({ secret }));
      await member.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
      const codes = member.getByTestId('recovery-codes').getByRole('listitem');
      await expect.poll(() => codes.count()).toBe(10);
      await screenshot(member, 'two-factor-recovery-codes-1280');
      await member.getByRole('link', { name: /saved my codes/ }).click();
      await member.waitForURL(/\/leads/);
    } finally {
      await admin.goto(`${stack.web}/settings/security`);
      await admin.getByRole('button', { name: 'Make it optional' }).click();
      await expect.poll(() => admin.getByText('Optional', { exact: true }).count()).toBe(1);
      await expect.poll(enrolmentRequired, { timeout: 10_000, interval: 1_000 }).toBe(false);
    }
  });

  it('an admin sets up single sign-on: field messages for a bad issuer, the secret never shown back', async () => {
    await admin.goto(`${stack.web}/settings/security`);
    await admin.getByText('Set up single sign-on').click();
    await admin.getByLabel('Issuer URL').fill('not a url');
    await admin.getByLabel('Client id').fill('solar-crm');
    await admin.getByLabel('Client secret').fill('provider-secret-4711');
    await admin.getByLabel('Allowed email domains').fill('acme.example');
    await admin.getByRole('button', { name: 'Save single sign-on' }).click();
    await expect.poll(() => admin.locator('[aria-invalid="true"][name="issuer"]').count()).toBe(1);

    await admin.getByLabel('Issuer URL').fill('https://login.acme.example/');
    await admin.getByLabel('Client secret').fill('provider-secret-4711');
    await admin.getByRole('button', { name: 'Save single sign-on' }).click();
    await expect.poll(() => admin.getByText('https://login.acme.example/', { exact: true }).count()).toBe(1);
    await admin.reload();
    expect(await admin.content()).not.toContain('provider-secret-4711');
    await screenshot(admin, 'settings-security-1280');

    await admin.getByRole('button', { name: 'Turn off' }).click();
    await expect.poll(() => admin.getByText('Off', { exact: true }).count()).toBe(1);
  });

  it('every new screen fits a 320 px phone without sideways scrolling', async () => {
    const phone = await newPage(320);
    await signIn(phone, ADMIN);
    for (const path of [
      '/settings/api-keys',
      '/settings/integrations/oauth',
      '/settings/invitations',
      '/settings/security',
      '/settings/lead-forms',
      '/settings/webhooks',
      '/settings/pipeline',
      '/settings/lead-scoring',
      '/settings/lead-assignment',
      '/settings/equipment',
      '/account',
      '/sign-in/two-factor',
    ]) {
      await phone.goto(`${stack.web}${path}`);
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await phone.goto(`${stack.web}/settings/api-keys`);
    await screenshot(phone, 'settings-api-keys-320');
    await phone.goto(`${stack.web}/account`);
    await screenshot(phone, 'account-320');
  });
});
