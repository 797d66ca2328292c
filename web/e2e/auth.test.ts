/**
 * Signing in, as a person would, in a real browser against the real stack: two-factor authentication
 * (enrolled through the API, codes computed here with otplib as an authenticator app would), a recovery
 * code, my account's sessions, single sign-on's answers, and a session that ends mid-work.
 */
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';

const stack = inject('stack');
const PASSWORD = 'SolarDemo-2026!';
const ADMIN = 'ava.admin@acme.example';
/** read-only analyst of the demo workspace; no other browser test signs in as them */
const ANALYST = 'noah.analyst@acme.example';

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function newPage(width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  return context.newPage();
}

/** platform-api as an API client would call it (bearer tokens, so no cookies or CSRF origin involved). */
async function api<T>(path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(`${stack.platformApi}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-tenant': stack.tenant,
      'x-session-mode': 'bearer',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** A code for the 30-second step `offset` steps from now, as the person's authenticator app shows it. */
const codeAt = (secret: string, offset = 0) =>
  generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });

async function passwordStep(page: Page, email: string) {
  await page.goto(`${stack.web}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('signing in', () => {
  let secret = '';
  let recoveryCodes: string[] = [];

  beforeAll(async () => {
    // The analyst turns on TOTP through the API, with a code from one step ago (each step works once).
    const { token } = await api<{ token: string }>('/auth/sign-in', { email: ANALYST, password: PASSWORD });
    ({ secret } = await api<{ secret: string }>('/auth/mfa/enroll', {}, token));
    ({ recoveryCodes } = await api<{ recoveryCodes: string[] }>(
      '/auth/mfa/activate',
      { code: await codeAt(secret, -1) },
      token,
    ));
  });

  it('asks for the authenticator code after the password, refuses a wrong one inline, then signs in', async () => {
    const page = await newPage();
    await passwordStep(page, ANALYST);
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await screenshot(page, 'sign-in-mfa-1280');

    await code.fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => page.getByText("That code didn't work").count()).toBe(1);
    expect(page.url()).toMatch(/\/sign-in/);

    await page.getByLabel('Authentication code').fill(await codeAt(secret, 0));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/leads/);

    // my account: TOTP on, this device among my sessions
    await page.goto(`${stack.web}/account`);
    await expect.poll(() => page.getByRole('heading', { name: 'Two-factor authentication' }).count()).toBe(1);
    expect(await page.getByText('On', { exact: true }).count()).toBe(1);
    expect(await page.getByText('This device').count()).toBe(1);
    await screenshot(page, 'account-1280');
  });

  // (that a used recovery code is refused is platform-api's test: each refusal here would count against
  // this machine's address in the shared sign-in back-off)
  it('signs in with a recovery code instead, on a phone-sized screen', async () => {
    const page = await newPage(375);
    await passwordStep(page, ANALYST);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[0]!.toUpperCase());
    await screenshot(page, 'sign-in-recovery-375');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/leads/);
  });

  it('"sign out everywhere" ends every session of mine, the other browser’s too', async () => {
    const other = await newPage();
    await passwordStep(other, ANALYST);
    await other.getByLabel('Authentication code').fill(await codeAt(secret, 1));
    await other.getByRole('button', { name: 'Verify' }).click();
    await other.waitForURL(/\/leads/);

    const page = await newPage();
    await passwordStep(page, ANALYST);
    await page.getByRole('button', { name: 'Use a recovery code instead' }).click();
    await page.getByLabel('Recovery code').fill(recoveryCodes[1]!);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/\/leads/);
    await page.goto(`${stack.web}/account`);
    expect(await page.getByRole('button', { name: /^Sign out/ }).count()).toBeGreaterThanOrEqual(3);

    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/sign-in/);
    await other.goto(`${stack.web}/leads`);
    expect(other.url()).toMatch(/\/sign-in\?next=%2Fleads|\/sign-in$/);
  });
});

describe('single sign-on', () => {
  it('explains a refusal from the identity provider in words, not codes', async () => {
    const page = await newPage();
    await page.goto(`${stack.web}/sign-in?error=sso_domain_not_allowed`);
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/allowed domains/);
  });

  it('the SSO button goes through platform-api and comes back saying SSO is not set up here', async () => {
    const page = await newPage();
    await page.goto(`${stack.web}/sign-in`);
    await page.getByRole('link', { name: /single sign-on/ }).click();
    await page.waitForURL(/\/sign-in\?error=sso_unavailable/);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not set up for this workspace/);
    await screenshot(page, 'sign-in-sso-error-1280');
  });
});

describe('a session that ends mid-work', () => {
  it('says so, keeps what was typed in the open drawer, and signs back in to the same page', async () => {
    const page = await newPage();
    await passwordStep(page, ADMIN);
    await page.waitForURL(/\/leads/);
    await page.getByRole('button', { name: 'New lead' }).first().click();
    await page.getByLabel('First name').fill('Kept');
    await page.getByLabel('Last name').fill('Draft');

    await page.context().clearCookies(); // the session is gone, as after "sign out everywhere" elsewhere
    await page.getByRole('button', { name: 'Create lead' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your session ended' });
    await dialog.waitFor();
    await screenshot(page, 'session-ended-1280');

    await dialog.getByRole('button', { name: 'Stay to copy my work' }).click();
    expect(await page.getByLabel('First name').inputValue()).toBe('Kept');
    // copied what they needed, closed the drawer: the bar still offers to sign in, back to /leads
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('status').getByRole('link', { name: 'Sign in again' }).click();
    await page.waitForURL(/\/sign-in$/);
    await page.getByLabel('Email').fill(ADMIN);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/\/leads$/);
  });
});
