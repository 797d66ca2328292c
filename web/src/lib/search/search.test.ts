import { describe, expect, it } from 'vitest';
import { searchHits, searchQuery } from './search.js';

describe('the global search', () => {
  it('asks only for the kinds of record the viewer may read', () => {
    const fieldTech = searchQuery(['customers:read:all']);
    expect(fieldTech).toContain('accounts(first: 5, filter: { search: $q })');
    expect(fieldTech).not.toContain('leads(');
    expect(fieldTech).not.toContain('opportunities(');
    expect(searchQuery(['leads:read:own', 'opportunities:read:own'])).toMatch(/leads\(.*opportunities\(/);
    expect(searchQuery([])).toBeNull();
  });

  it('lists leads, then customers, then deals, each with a line saying what it is', () => {
    const hits = searchHits({
      leads: { edges: [{ node: { id: 'l', fullName: 'Ines Okonkwo', city: 'Phoenix', status: 'NEW' } }] },
      accounts: {
        edges: [{ node: { id: 'a', name: 'Okonkwo household', kind: 'RESIDENTIAL', billingCity: null } }],
      },
      opportunities: {
        edges: [
          {
            node: {
              id: 'o',
              name: 'Okonkwo 9 kW',
              stage: { name: 'Design' },
              account: { name: 'Okonkwo household' },
            },
          },
        ],
      },
    });
    expect(hits.map((h) => [h.kind, h.title, h.detail])).toEqual([
      ['Lead', 'Ines Okonkwo', 'New · Phoenix'],
      ['Customer', 'Okonkwo household', 'Residential'],
      ['Deal', 'Okonkwo 9 kW', 'Design · Okonkwo household'],
    ]);
    expect(searchHits(null)).toEqual([]);
  });
});
