import { describe, expect, it } from 'vitest';
import { absoluteDate, relativeDate } from './relative-date.js';

const now = new Date('2026-11-24T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000);

describe('relativeDate', () => {
  it('says "just now" for the last few seconds, either side', () => {
    expect(relativeDate(ago(10), now)).toBe('just now');
    expect(relativeDate(ago(-30), now)).toBe('just now');
  });

  it('uses the largest whole unit, never rounding up early', () => {
    expect(relativeDate(ago(60), now)).toBe('1 minute ago');
    expect(relativeDate(ago(59 * 60), now)).toBe('59 minutes ago');
    expect(relativeDate(ago(3 * 3600 + 59 * 60), now)).toBe('3 hours ago');
    expect(relativeDate(ago(24 * 3600), now)).toBe('yesterday');
    expect(relativeDate(ago(3 * 24 * 3600), now)).toBe('3 days ago');
    expect(relativeDate(ago(15 * 24 * 3600), now)).toBe('2 weeks ago');
    expect(relativeDate(ago(65 * 24 * 3600), now)).toBe('2 months ago');
    expect(relativeDate(ago(800 * 24 * 3600), now)).toBe('2 years ago');
  });

  it('handles the future and ISO strings as the API sends them', () => {
    expect(relativeDate(new Date(now.getTime() + 2 * 24 * 3600 * 1000), now)).toBe('in 2 days');
    expect(relativeDate('2026-11-24T11:00:00.000Z', now)).toBe('1 hour ago');
  });

  it('answers an empty string for a date it cannot read', () => {
    expect(relativeDate('not a date', now)).toBe('');
  });

  it('formats the absolute date for tooltips', () => {
    expect(absoluteDate('2026-11-24T09:05:00Z', 'en-US', 'UTC')).toBe('Nov 24, 2026, 9:05 AM');
  });
});
