/**
 * Access inside one workspace, in a real browser against the real stack: a sales rep sees only their own
 * leads and the navigation their role allows; an administrator creates a role, grants it, and the rep's next
 * page load reflects it.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, screenshot } from './browser.js';
import { graphqlIn } from './graphql-in-page.js';

const stack = inject('stack');
const PASSWORD = 'SolarDemo-2026!';
const ADMIN = 'ava.admin@acme.example';
const REP = 'priya.rep@acme.example';
/** The Austin sales team in the demo org tree (scripts/demo/demo-access.ts); Priya works in Phoenix. */
const AUSTIN_TEAM = '0190b000-0000-7000-8000-000000000008';

let browser: Browser;
const contexts: BrowserContext[] = [];
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
});

async function signIn(email: string, width = 1280): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${stack.web}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(/\/leads/);
  return page;
}

const leadCount = async (page: Page) => {
  await expect.poll(() => page.locator('.count').first().textContent()).toMatch(/^[\d,]+ leads?/);
  return Number((await page.locator('.count').first().textContent())!.replace(/[^\d]/g, ''));
};

/** The record links of the dashboard's recent-activity card, once it has loaded. */
async function recentActivityLinks(page: Page): Promise<string[]> {
  const feed = page.getByRole('region', { name: 'Recent activity' });
  await expect.poll(() => feed.getByRole('listitem').count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const hrefs = await feed
    .getByRole('link')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return [...new Set(hrefs)];
}

describe('access in the web app', () => {
  it('a sales rep sees fewer leads than the admin, no settings, and not another team’s lead', async () => {
    const admin = await signIn(ADMIN);
    const adminCount = await leadCount(admin);
    await expect
      .poll(() => admin.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining('Settings')]));
    // a lead of the Austin team, found as the admin through the same /graphql the app uses
    const otherTeamLead = (
      await graphqlIn<{ leads: { edges: { node: { id: string; unitId: string } }[] } }>(
        admin,
        '{ leads(first: 100) { edges { node { id unitId } } } }',
      )
    ).leads.edges.find((e) => e.node.unitId === AUSTIN_TEAM)?.node.id;
    expect(otherTeamLead).toMatch(/^[0-9a-f-]{36}$/);

    const rep = await signIn(REP);
    const repCount = await leadCount(rep);
    expect(repCount).toBeGreaterThan(0);
    expect(repCount).toBeLessThan(adminCount);
    const nav = rep.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Leads' }).count()).toBe(1);
    expect(await nav.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    expect(await rep.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);
    await screenshot(rep, 'rep-leads-1280');

    const response = await rep.goto(`${stack.web}/leads/${otherTeamLead}`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => rep.getByRole('heading', { name: "We couldn't find that" }).count()).toBe(1);

    const settings = await rep.goto(`${stack.web}/settings/members`);
    expect(settings?.status()).toBe(404);
  });

  it('an admin creates a role and grants it; the rep’s next page load shows what it allows', async () => {
    const rep = await signIn(REP);
    expect(await rep.getByRole('button', { name: 'Export CSV' }).count()).toBe(0);

    const admin = await signIn(ADMIN);
    await admin.goto(`${stack.web}/settings/roles`);
    await admin.getByRole('button', { name: 'New role' }).click();
    const drawer = admin.getByRole('dialog');
    const roleName = `Lead exporter ${Date.now().toString(36)}`;
    await drawer.getByLabel('Name').fill(roleName);
    await drawer.getByLabel('Leads export: All').check();
    await screenshot(admin, 'role-editor-1280');
    await drawer.getByRole('button', { name: 'Create role' }).click();
    await expect.poll(() => admin.getByRole('dialog').count()).toBe(0);
    await expect.poll(() => admin.getByText(roleName, { exact: true }).count()).toBe(1);

    await admin.goto(`${stack.web}/settings/members`);
    await admin.getByRole('button', { name: 'Manage Priya Patel' }).click();
    const member = admin.getByRole('dialog');
    await member.getByLabel('Role to grant').selectOption({ label: roleName });
    await member.getByRole('button', { name: 'Grant role' }).click();
    await expect.poll(() => member.getByRole('button', { name: `Revoke ${roleName}` }).count()).toBe(1);
    await screenshot(admin, 'member-grant-1280');

    await rep.reload();
    await expect.poll(() => rep.getByRole('button', { name: 'Export CSV' }).count()).toBe(1);
  });

  it('a rep’s recent activity shows only records the rep can open; the admin’s shows others too', async () => {
    const admin = await signIn(ADMIN);
    await admin.goto(`${stack.web}/`);
    const adminLinks = await recentActivityLinks(admin);
    const rep = await signIn(REP);
    await rep.goto(`${stack.web}/`);
    const repLinks = await recentActivityLinks(rep);
    const statusForRep = (href: string) =>
      rep.evaluate(async (url) => (await fetch(url, { redirect: 'manual' })).status, href);
    for (const href of repLinks) expect(await statusForRep(href), href).toBe(200);
    const othersOnly = adminLinks.filter((href) => !repLinks.includes(href));
    const hiddenFromRep: string[] = [];
    for (const href of othersOnly) if ((await statusForRep(href)) === 404) hiddenFromRep.push(href);
    expect(hiddenFromRep.length).toBeGreaterThan(0);
    await screenshot(rep, 'rep-dashboard-1280');
  });

  it('dashboard and settings at 1280 and 375 px (the dashboard down to 320), without sideways scrolling on a phone', async () => {
    for (const width of [1280, 375]) {
      const admin = await signIn(ADMIN, width);
      await admin.goto(`${stack.web}/`);
      await expect.poll(() => admin.getByText('leads you can see').count()).toBe(1);
      await expect.poll(() => admin.getByRole('heading', { name: 'New this week' }).count()).toBe(1);
      await expect.poll(() => admin.getByRole('heading', { name: /^My tasks/ }).count()).toBe(1);
      const pipeline = admin.getByRole('region', { name: 'Pipeline' });
      await expect.poll(() => pipeline.getByText('Win rate').count()).toBe(1);
      await expect.poll(() => pipeline.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
      expect((await recentActivityLinks(admin)).length).toBeGreaterThan(0);
      await screenshot(admin, `dashboard-${width}`);
      if (width === 375) {
        for (const narrow of [375, 320]) {
          await admin.setViewportSize({ width: narrow, height: 900 });
          const overflow = await admin.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `sideways scroll at ${narrow} px`).toBeLessThanOrEqual(0);
        }
        await screenshot(admin, 'dashboard-320');
        await admin.setViewportSize({ width, height: 900 });
      }
      await admin.goto(`${stack.web}/settings/org-units`);
      const tree = admin.getByRole('tree', { name: 'Org units' });
      await tree.getByRole('treeitem').first().focus();
      await admin.keyboard.press('ArrowDown');
      await admin.keyboard.press('Enter');
      await expect.poll(() => tree.locator('[aria-selected="true"]').count()).toBe(1);
      await screenshot(admin, `org-units-${width}`);
      await admin.goto(`${stack.web}/settings/members`);
      await screenshot(admin, `members-${width}`);
      if (width === 375) {
        const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      }
    }
  });
});
