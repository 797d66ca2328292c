/**
 * A proposal in a real browser against the real stack: the admin opens a deal, builds its proposal from the
 * catalogue with loan financing, watches the totals and the monthly payment follow the inputs, saves it,
 * marks it sent and opens the printable view.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';
import { graphqlIn } from './graphql-in-page.js';

const stack = inject('stack');
const ADMIN = { email: 'ava.admin@acme.example', password: 'SolarDemo-2026!' };

let browser: Browser;
let context: BrowserContext;
let page: Page;

async function signIn(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: { width, height: 900 } });
  const p = await ctx.newPage();
  await p.goto(`${stack.web}/pipeline`);
  await p.waitForURL(/\/sign-in/);
  await p.getByLabel('Email').fill(ADMIN.email);
  await p.getByLabel('Password').fill(ADMIN.password);
  await p.getByRole('button', { name: 'Sign in' }).click();
  await p.waitForURL(/\/pipeline/);
  return { context: ctx, page: p };
}

/** An open demo deal on a site with coordinates and no proposal yet, found through the API as the admin. */
async function dealWithoutProposal(p: Page): Promise<{ id: string; name: string }> {
  const data = await graphqlIn<{
    opportunities: {
      edges: { node: { id: string; name: string; site: { latitude: number | null } | null } }[];
    };
  }>(
    p,
    '{ opportunities(first: 50, filter: { open: true }) { edges { node { id name site { latitude } } } } }',
  );
  for (const { node } of data.opportunities.edges) {
    if (node.site?.latitude == null) continue;
    const found = await graphqlIn<{ proposals: unknown[] }>(
      p,
      'query($id: ID!) { proposals(opportunityId: $id) { id } }',
      { id: node.id },
    );
    if (found.proposals.length === 0) return { id: node.id, name: node.name };
  }
  throw new Error('no open demo deal without a proposal');
}

beforeAll(async () => {
  browser = await launchBrowser();
  ({ context, page } = await signIn(1280));
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('building a proposal', () => {
  let deal = { id: '', name: '' };
  let proposalUrl = '';

  it('the opportunity page shows the deal, its customer and a way to start a proposal', async () => {
    deal = await dealWithoutProposal(page);
    await page.goto(`${stack.web}/opportunities/${deal.id}`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(deal.name);
    expect(await page.getByRole('region', { name: 'Deal' }).getByText('Probability').count()).toBe(1);
    expect(await page.getByText('No proposal yet').count()).toBe(1);
    await screenshot(page, 'opportunity-1280');
    await page.getByRole('link', { name: 'New proposal' }).click();
    await page.waitForURL(/\/proposals\/new\?opportunity=/);
  });

  it('adds equipment and loan financing, and the totals follow the inputs', async () => {
    const add = async (id: string) => {
      await page.getByLabel('Equipment to add').selectOption(id);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
    };
    await add('qcells-410');
    await add('enphase-iq8m');
    const modules = page.getByLabel('Quantity of Q.TRON BLK M-G2+ 410');
    await modules.fill('20');
    await page.getByLabel('Quantity of IQ8M').fill('20');
    await page.getByLabel('Price per watt ($/W)').fill('3.10');
    // 20 × 410 W = 8.2 kW DC; 20 × 0.325 kW = 6.5 kW AC; 8.2 kW × $3.10/W = $25,420
    await expect.poll(() => page.getByTestId('system-size').textContent()).toBe('8.2 kW DC · 6.5 kW AC');
    await expect.poll(() => page.getByTestId('contract-price').textContent()).toBe('$25,420');
    expect(await page.getByTestId('production').textContent()).toMatch(/kWh\/yr/);

    await page.getByRole('button', { name: 'Loan' }).click();
    const loan = page.getByRole('group', { name: 'Financing option 2' });
    await loan.getByLabel('APR (%)').fill('5.99');
    await loan.getByLabel('Term (months)').fill('240');
    // monthly payment on $25,420 at 5.99 % over 240 months: 25420 × r / (1 − (1 + r)^−240), r = 0.0599/12
    await expect.poll(() => page.getByTestId('monthly-loan').textContent()).toBe('$182/mo');

    // more modules: the price moves at once
    await modules.fill('24');
    await expect.poll(() => page.getByTestId('contract-price').textContent()).toBe('$30,504');

    // bad input gets its message beside the field, from the engine
    await loan.getByLabel('APR (%)').fill('55');
    await expect.poll(() => loan.getByText(/at most 0.4/).count(), { timeout: 5000 }).toBe(1);
    await loan.getByLabel('APR (%)').fill('5.99');
    await expect.poll(() => loan.getByText(/at most 0.4/).count()).toBe(0);
    expect(await page.getByRole('figure').count()).toBe(1);
  });

  it('saves it, marks it sent, and opens the printable view', async () => {
    await page.getByRole('button', { name: 'Create proposal' }).click();
    await page.waitForURL(/\/proposals\/[0-9a-f-]{36}$/);
    proposalUrl = page.url();
    await expect.poll(() => page.getByText('Version 1').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('contract-price').textContent()).toBe('$30,504');
    expect(await page.getByTestId('monthly-loan').textContent()).toMatch(/^\$\d+\/mo$/);
    await screenshot(page, 'proposal-1280');

    await page.getByRole('button', { name: 'Mark sent' }).click();
    await expect.poll(() => page.getByText('Sent', { exact: true }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByRole('button', { name: 'Save as new version' }).count()).toBe(1);

    const [printable] = await Promise.all([
      page.waitForEvent('popup'),
      page.getByRole('link', { name: 'Print / PDF' }).click(),
    ]);
    await printable.waitForLoadState();
    const text = await printable.locator('body').innerText();
    expect(text).toContain('$30,504');
    expect(text).toMatch(/8\.2|9\.84/);
    await screenshot(printable, 'proposal-print-1280');
    await printable.close();

    // the email that sent it, logged on this version, shows on the deal's timeline too
    const log = page.getByRole('form', { name: 'Log an activity' });
    await log.getByRole('radio', { name: 'Email' }).click();
    await log.getByLabel('Subject').fill('Your solar proposal');
    await log.getByRole('button', { name: 'Log email' }).click();
    await expect
      .poll(() => page.locator('ol.timeline').textContent())
      .toContain('Email sent: Your solar proposal');

    await page.goto(`${stack.web}/opportunities/${deal.id}`);
    const listed = page.locator('[data-proposal-id]');
    expect(await listed.count()).toBe(1);
    expect(await listed.textContent()).toContain('Sent');
    const timeline = await page.locator('ol.timeline').textContent();
    expect(timeline).toContain('Email sent: Your solar proposal');
    expect(timeline).toMatch(/Proposal: .* · proposal v1/);
  });

  it('shows the customer’s sites on a map, with the same places listed beside it', async () => {
    await page.goto(`${stack.web}/opportunities/${deal.id}`);
    await page.getByRole('region', { name: 'Customer and site' }).getByRole('link').first().click();
    await page.waitForURL(/\/customers\/[0-9a-f-]{36}$/);
    const map = page.locator('[data-map-ready="true"]');
    await map.waitFor();
    // one vector marker per mapped site, and each site listed with its coordinates
    const markers = await map.locator('path.leaflet-interactive').count();
    expect(markers).toBeGreaterThan(0);
    expect(await page.getByRole('region', { name: 'Sites on the map' }).getByRole('listitem').count()).toBe(
      markers,
    );
    // the deal's proposal is listed on its customer too
    expect(await page.locator('[data-proposal-id]').count()).toBeGreaterThan(0);
    await screenshot(page, 'customer-map-1280');
  });

  it('shows a move someone else makes without a reload', async () => {
    await page.goto(`${stack.web}/opportunities/${deal.id}`);
    const stage = page.getByTestId('stage');
    const before = await stage.textContent();
    const other = await context.newPage();
    await other.goto(`${stack.web}/pipeline`);
    // give the subscription a moment to be listening
    await page.waitForTimeout(1000);
    const { opportunity, pipelineStages } = await graphqlIn<{
      opportunity: { stage: { id: string } };
      pipelineStages: { id: string; name: string; kind: string }[];
    }>(other, 'query($id: ID!) { opportunity(id: $id) { stage { id } } pipelineStages { id name kind } }', {
      id: deal.id,
    });
    const next = pipelineStages.find((s) => s.kind === 'OPEN' && s.id !== opportunity.stage.id)!;
    await graphqlIn(
      other,
      'mutation($id: ID!, $stageId: ID!) { moveOpportunity(id: $id, stageId: $stageId) { opportunity { id } } }',
      { id: deal.id, stageId: next.id },
    );
    const target = next.name;
    expect(target).not.toBe(before);
    await expect.poll(() => stage.textContent(), { timeout: 10_000 }).toBe(target);
    await other.close();
  });

  it('reads on a phone', async () => {
    const phone = await signIn(375);
    await phone.page.goto(proposalUrl);
    await expect.poll(() => phone.page.getByTestId('contract-price').textContent()).toBe('$30,504');
    const overflow = await phone.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(1);
    await screenshot(phone.page, 'proposal-375');
    await phone.page.goto(`${stack.web}/opportunities/${deal.id}`);
    await screenshot(phone.page, 'opportunity-375');
    await phone.context.close();
  });
});
