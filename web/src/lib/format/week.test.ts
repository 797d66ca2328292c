import { describe, expect, it } from 'vitest';
import { startOfWeek } from './week.js';

describe('this week', () => {
  it('starts on the Monday before, at midnight UTC', () => {
    expect(startOfWeek(new Date('2026-11-26T15:30:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(startOfWeek(new Date('2026-11-23T00:00:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    // a Sunday still belongs to the week that began six days earlier
    expect(startOfWeek(new Date('2026-11-29T23:59:00Z')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});
