import { DEFAULT_CATALOGUE } from '../../tenant-runtime/migrations/20261125_050_proposals.js';
import { describe, expect, it } from 'vitest';
import { demoLeads } from './demo-leads.js';
import { demoSales } from './demo-sales.js';
import { catalogueFromRows, demoWork } from './demo-work.js';

const staff = [
  { id: '0190c000-0000-7000-8000-000000000001', email: 'ava.admin@acme.example', name: 'Ava' },
  { id: '0190c000-0000-7000-8000-000000000002', email: 'marcus.sales@acme.example', name: 'Marcus' },
  { id: '0190c000-0000-7000-8000-000000000003', email: 'priya.rep@acme.example', name: 'Priya' },
  { id: '0190c000-0000-7000-8000-000000000004', email: 'jordan.rep@acme.example', name: 'Jordan' },
];
const input = (now: number) => ({
  staff,
  ...demoSales(staff),
  leads: demoLeads(
    300,
    staff.map((s) => s.id),
  ),
  catalogue: catalogueFromRows(DEFAULT_CATALOGUE),
  now,
});
const NOW = Date.UTC(2026, 11, 3, 9, 30);

describe('demo proposals and activities', () => {
  it('have the same ids whenever the demo starts, so a later start inserts nothing new', async () => {
    const today = await demoWork(input(NOW));
    const later = await demoWork(input(NOW + 40 * 86_400_000));
    expect(later.proposals.map((p) => p.id)).toEqual(today.proposals.map((p) => p.id));
    expect(later.activities.map((a) => a.id)).toEqual(today.activities.map((a) => a.id));
  });

  it('tell each proposal story: drafts, sent, accepted, rejected and expired offers, some in a second version', async () => {
    const { proposals } = await demoWork(input(NOW));
    expect(new Set(proposals.map((p) => p.status))).toEqual(
      new Set(['draft', 'sent', 'accepted', 'rejected', 'expired']),
    );
    for (const p of proposals.filter((p) => p.version === 2)) {
      const first = proposals.find((q) => q.opportunity_id === p.opportunity_id && q.version === 1)!;
      expect(first.superseded_by).toBe(2);
    }
    const result = JSON.parse(String(proposals[0]!.result_json));
    expect(result.production.source).toBe('offline-estimate');
    const loan = result.financing.find((f: { kind: string }) => f.kind === 'loan');
    expect(loan.monthlyPaymentCents).toBeGreaterThan(0);
  });

  it('give reps open tasks that are overdue and due today, on real records', async () => {
    const { activities } = await demoWork(input(NOW));
    const open = activities.filter((a) => a.kind === 'task' && a.completed_at === null);
    const due = open.map((a) => (a.due_at as Date).getTime());
    expect(due.some((d) => d < NOW)).toBe(true);
    expect(due.some((d) => d >= NOW && new Date(d).toISOString().slice(0, 10) === '2026-12-03')).toBe(true);
    const kinds = new Set(activities.map((a) => a.kind));
    expect(kinds).toEqual(new Set(['call', 'email', 'meeting', 'note', 'task']));
  });

  it("log on every kind of record, each one that exists: a customer's contacts and sites, a deal's proposals", async () => {
    const all = input(NOW);
    const { activities, proposals } = await demoWork(all);
    const exists: Record<string, Set<unknown>> = {
      lead: new Set(all.leads.map((l) => l.id)),
      account: new Set(all.accounts.map((a) => a['id'])),
      contact: new Set(all.contacts.map((c) => c['id'])),
      site: new Set(all.sites.map((s) => s['id'])),
      opportunity: new Set(all.opportunities.map((o) => o['id'])),
      proposal: new Set(proposals.map((p) => p['id'])),
    };
    for (const a of activities) expect(exists[String(a['subject_type'])]?.has(a['subject_id'])).toBe(true);
    expect(new Set(activities.map((a) => a['subject_type']))).toEqual(new Set(Object.keys(exists)));
  });
});
