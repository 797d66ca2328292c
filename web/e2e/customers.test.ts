/**
 * Customers entered and kept up to date by hand in a real browser against the real stack: the admin adds a
 * business with its first contact and site, fixes the site's roof, adds a second contact and removes one.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';
import { graphqlIn } from './graphql-in-page.js';

const stack = inject('stack');
const ADMIN = { email: 'ava.admin@acme.example', password: 'SolarDemo-2026!' };
const NAME = `Desert Bloom Nursery ${Date.now().toString(36)}`;

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${stack.web}/customers`);
  await page.waitForURL(/\/sign-in/);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/customers/);
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('customers by hand', () => {
  it('adds a business with its first contact and site in one go, and opens it', async () => {
    await page.getByRole('button', { name: 'New customer' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel(/^Name\b/).fill(NAME);
    await drawer.getByLabel('Kind').selectOption({ label: 'Commercial' });
    await drawer.getByLabel('First name').fill('Rosa');
    // a contact needs both names: said beside the field, nothing created
    await drawer.getByRole('button', { name: 'Create customer' }).click();
    await expect.poll(() => drawer.getByLabel('Last name').getAttribute('aria-invalid')).toBe('true');
    await drawer.getByLabel('Last name').fill('Alvarez');
    await drawer.getByLabel(/^Email\b/).fill('rosa@desertbloom.example');
    await drawer.getByLabel(/^Label\b/).fill('Greenhouse roof');
    await drawer.getByLabel(/^Street\b/).fill('2200 E Baseline Rd');
    await drawer
      .getByLabel(/^City\b/)
      .last()
      .fill('Tempe');
    await drawer.getByRole('button', { name: 'Create customer' }).click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(NAME);
    expect(await page.getByText('Rosa Alvarez').count()).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'Site: Greenhouse roof' }).count()).toBe(1);
  });

  it("edits the site's roof; a pitch out of range is refused beside the field", async () => {
    await page.getByRole('button', { name: 'Edit Greenhouse roof' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel(/^Roof$/).selectOption({ label: 'Metal' });
    await drawer.getByLabel('Roof pitch (°)').fill('95');
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => drawer.getByLabel('Roof pitch (°)').getAttribute('aria-invalid')).toBe('true');
    await drawer.getByLabel('Roof pitch (°)').fill('12');
    await drawer.getByLabel('Roof azimuth (°)').fill('180');
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    const site = page.getByRole('region', { name: 'Site: Greenhouse roof' });
    await expect.poll(() => site.textContent()).toContain('Metal · 12° pitch · faces S');
  });

  it('adds a second contact and removes the first; the list follows', async () => {
    await page.getByRole('button', { name: 'Add contact' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('First name').fill('Omar');
    await drawer.getByLabel('Last name').fill('Haddad');
    await drawer.getByLabel('Primary contact').check();
    await drawer.getByRole('button', { name: 'Add contact' }).click();
    const contacts = page.getByRole('region', { name: 'Contacts' });
    await expect.poll(() => contacts.textContent()).toContain('Omar Haddad');
    // the new primary contact is the only one marked so
    expect(await contacts.getByText('Primary').count()).toBe(1);

    await page.getByRole('button', { name: 'Remove Rosa Alvarez' }).click();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => contacts.textContent()).not.toContain('Rosa Alvarez');
    expect(await contacts.textContent()).toContain('Omar Haddad');
    await screenshot(page, 'customer-edit-1280');
  });

  it('opens a deal for the customer, then updates its amount and expected close on the deal', async () => {
    await page.getByRole('button', { name: 'New deal' }).click();
    let drawer = page.getByRole('dialog');
    await drawer.getByLabel(/^Name\b/).fill('Greenhouse 40 kW');
    await drawer.getByLabel('Amount ($)').fill('92000');
    await drawer.getByLabel('System size (kW)').fill('40');
    await drawer.getByRole('button', { name: 'Create deal' }).click();
    const deal = page.locator('[data-opportunity-id]').filter({ hasText: 'Greenhouse 40 kW' });
    await expect.poll(() => deal.textContent()).toContain('$92,000');

    await deal.getByRole('link', { name: 'Greenhouse 40 kW' }).click();
    await page.waitForURL(/\/opportunities\/[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Edit' }).click();
    drawer = page.getByRole('dialog');
    await drawer.getByLabel('Amount ($)').fill('88500');
    await drawer.getByLabel('Expected close').fill('2027-02-15');

    // Meanwhile someone else moves the deal on, which reaches this page live. What is being typed stays, and
    // saving sends only what was changed here: the other person's stage and probability are kept.
    const dealId = page.url().split('/').pop()!;
    const other = await context.newPage();
    await other.goto(`${stack.web}/pipeline`);
    const { pipelineStages } = await graphqlIn<{
      pipelineStages: { id: string; name: string; kind: string }[];
    }>(other, '{ pipelineStages { id name kind } }');
    const next = pipelineStages.filter((s) => s.kind === 'OPEN')[2]!;
    const { moveOpportunity } = await graphqlIn<{
      moveOpportunity: { opportunity: { probability: number } };
    }>(
      other,
      'mutation($id: ID!, $stageId: ID!) { moveOpportunity(id: $id, stageId: $stageId) { opportunity { probability } } }',
      { id: dealId, stageId: next.id },
    );
    const moved = { stage: next.name, probability: moveOpportunity.opportunity.probability };
    await other.close();
    await expect.poll(() => page.getByTestId('stage').textContent(), { timeout: 10_000 }).toBe(moved.stage);
    expect(await drawer.getByLabel('Amount ($)').inputValue()).toBe('88500');

    await drawer.getByRole('button', { name: 'Save changes' }).click();
    const facts = page.getByRole('region', { name: 'Deal' });
    await expect.poll(() => facts.textContent()).toContain('$88,500');
    expect(await facts.textContent()).toContain('2027-02-15');
    expect(await facts.textContent()).toContain(`${moved.probability}%`);
    expect(await page.getByTestId('stage').textContent()).toBe(moved.stage);
  });
});
