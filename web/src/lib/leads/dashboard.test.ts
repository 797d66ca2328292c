import { describe, expect, it } from 'vitest';
import { countLabel, summariseRecent, type RecentLead } from './dashboard.js';

const lead = (id: string, createdAt: string, ownerId: string | null): RecentLead => ({
  id,
  fullName: `Lead ${id}`,
  status: 'NEW',
  ownerId,
  createdAt,
});

describe('dashboard counts', () => {
  const leads = [
    lead('a', '2026-11-25T10:00:00Z', 'me'),
    lead('b', '2026-11-23T00:00:00Z', 'other'),
    lead('c', '2026-11-22T23:59:59Z', 'me'),
    lead('d', '2026-10-01T00:00:00Z', null),
  ];

  it('counts leads created this week and the viewer’s own leads', () => {
    const s = summariseRecent(leads, 'me', new Date('2026-11-23T00:00:00Z'), true);
    expect(s.newThisWeek).toBe(2);
    expect(s.mineCount).toBe(2);
    expect(s.mine.map((l) => l.id)).toEqual(['a', 'c']);
    expect(s.partial).toBe(false);
  });

  it('says "at least" when the scan did not reach the end of the list', () => {
    const s = summariseRecent(leads, 'me', new Date('2026-11-23T00:00:00Z'), false, 1);
    expect(s.mine).toHaveLength(1);
    expect(countLabel(s.mineCount, s.partial)).toBe('2+');
    expect(countLabel(1200, false)).toBe('1,200');
  });
});
