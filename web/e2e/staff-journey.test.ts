/**
 * What a member of staff does on their first morning, in a real browser against the real stack:
 * sign in, see the acme leads, add a lead (and be told what is wrong with it first), open it, sign out.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';

const stack = inject('stack');
const ADMIN = { email: 'ava.admin@acme.example', password: 'SolarDemo-2026!' };

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function signedIn(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${stack.web}/leads`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/leads/);
  return { context, page };
}

describe('staff in the web app', () => {
  it('a wrong password is refused with a message, and nothing is signed in', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${stack.web}/sign-in`);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email|password/i);
    expect((await context.cookies()).find((c) => c.name === 'solar_session')).toBeUndefined();
    await screenshot(page, 'sign-in-error-1280');
    await context.close();
  });

  it('signs in and sees the acme leads', async () => {
    const { context, page } = await signedIn(1280);
    await expect.poll(() => page.locator('.count').textContent()).toMatch(/^300 leads/);
    const rows = page.getByRole('row');
    expect(await rows.count()).toBeGreaterThan(10);
    const cookie = (await context.cookies()).find((c) => c.name === 'solar_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await screenshot(page, 'leads-1280');
    await context.close();
  });

  it('creates a lead: field messages first, then it appears at the top and opens', async () => {
    const { context, page } = await signedIn(1280);
    await page.getByRole('button', { name: 'New lead' }).first().click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('First name').fill('Rosa');
    await drawer.getByLabel('Last name').fill('Delgado');
    await drawer.getByLabel('Email').fill('rosa.delgado@not-an-email');
    await drawer.getByRole('button', { name: 'Create lead' }).click();
    await expect.poll(() => drawer.getByText(/email/i).count()).toBeGreaterThan(1);
    await screenshot(page, 'new-lead-error-1280');

    await drawer.getByLabel('Email').fill('rosa.delgado@example.com');
    await drawer.getByRole('button', { name: 'Create lead' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.locator('.count').textContent()).toMatch(/^301 leads/);
    await page
      .getByRole('link', { name: /Rosa Delgado/ })
      .first()
      .click();
    await page.waitForURL(/\/leads\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByText('rosa.delgado@example.com').count()).toBeGreaterThan(0);
    await screenshot(page, 'lead-detail-1280');

    // edit: the same fields, plus the status; a bad bill is caught before the API, then the change shows
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('dialog');
    await edit.getByLabel('Status').selectOption('CONTACTED');
    await edit.getByLabel('Monthly electricity bill').fill('lots');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => edit.getByText('Enter an amount, like 180').count()).toBe(1);
    await edit.getByLabel('Monthly electricity bill').fill('$245');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => page.getByText('$245').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('Contacted').count()).toBeGreaterThan(0);
    await context.close();
  });

  it('works on a phone: the leads list at 375 px without sideways scrolling', async () => {
    const { context, page } = await signedIn(375);
    await expect.poll(() => page.locator('.count').textContent()).toMatch(/leads/);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'leads-375');
    await context.close();
  });

  it('signs out, and the leads page then asks to sign in again', async () => {
    const { context, page } = await signedIn(1280);
    await page.getByLabel(/^Account:/).click();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto(`${stack.web}/leads`);
    await page.waitForURL(/\/sign-in/);
    await context.close();
  });
});
