import { describe, expect, it } from 'vitest';
import { leadFilter, leadsUrl, money, parseStatusFilter, place } from './lead.js';

describe('lead list URL state', () => {
  it('reads status chips from repeated or comma-separated params, ignoring unknown ones', () => {
    expect(parseStatusFilter(['qualified', 'NEW'])).toEqual(['NEW', 'QUALIFIED']);
    expect(parseStatusFilter(['NEW,CONVERTED', 'BOGUS'])).toEqual(['NEW', 'CONVERTED']);
    expect(parseStatusFilter([])).toEqual([]);
  });

  it('builds the API filter only from what narrows the list', () => {
    expect(leadFilter('  ', [])).toBeNull();
    expect(leadFilter(' ann ', [])).toEqual({ search: 'ann' });
    expect(leadFilter('', ['NEW'])).toEqual({ status: ['NEW'] });
  });

  it('writes search, statuses and cursor back into the URL', () => {
    expect(leadsUrl('', [])).toBe('/leads');
    expect(leadsUrl('o brien', ['NEW', 'QUALIFIED'], 'abc')).toBe(
      '/leads?q=o+brien&status=NEW&status=QUALIFIED&after=abc',
    );
  });

  it('formats place and money for the table', () => {
    expect(place({ city: 'Austin', region: 'TX' })).toBe('Austin, TX');
    expect(place({ city: null, region: 'TX' })).toBe('TX');
    expect(money(182.4)).toBe('$182');
    expect(money(null)).toBe('');
  });
});
