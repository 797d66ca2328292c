import { describe, expect, it } from 'vitest';
import { DEMO_TEAMS } from './demo-access.js';
import { demoSales } from './demo-sales.js';

const staff = [
  { id: '0190c000-0000-7000-8000-000000000001', email: 'ava.admin@acme.example', name: 'Ava' },
  { id: '0190c000-0000-7000-8000-000000000002', email: 'marcus.sales@acme.example', name: 'Marcus' },
  { id: '0190c000-0000-7000-8000-000000000003', email: 'priya.rep@acme.example', name: 'Priya' },
  { id: '0190c000-0000-7000-8000-000000000004', email: 'jordan.rep@acme.example', name: 'Jordan' },
];

describe('demo customers and pipeline', () => {
  const rows = demoSales(staff);

  it('is the same on every start, so seeding twice writes nothing new', () => {
    expect(demoSales(staff)).toEqual(rows);
  });

  it('has about 60 accounts, mostly households, each with a primary contact and a located site', () => {
    expect(rows.accounts).toHaveLength(60);
    const commercial = rows.accounts.filter((a) => a.kind === 'commercial').length;
    expect(commercial).toBeGreaterThan(3);
    expect(commercial).toBeLessThan(25);
    for (const a of rows.accounts) {
      expect(rows.contacts.some((c) => c.account_id === a.id && c.is_primary)).toBe(true);
      const site = rows.sites.find((s) => s.account_id === a.id)!;
      expect(Math.abs(Number(site.latitude))).toBeGreaterThan(25);
      expect(site.annual_usage_kwh).toBeGreaterThan(0);
    }
  });

  it('spreads about 80 opportunities over every stage; lost ones say why', () => {
    expect(rows.opportunities).toHaveLength(80);
    expect(new Set(rows.opportunities.map((o) => o.stage_id)).size).toBe(7);
    for (const o of rows.opportunities.filter((o) => o.stage_id === 'lost'))
      expect(o.lost_reason).toBeTruthy();
  });

  it("puts a rep's customers and deals in the rep's team", () => {
    const priya = rows.opportunities.filter((o) => o.owner_id === staff[2]!.id);
    expect(priya.length).toBeGreaterThan(0);
    for (const o of priya) expect(o.unit_id).toBe(DEMO_TEAMS.phoenix);
  });
});
