import { describe, expect, it } from 'vitest';
import { barLength, niceScale } from './bar-scale.js';

describe('bar chart scale', () => {
  it('rounds the axis up to a readable maximum with even ticks', () => {
    expect(niceScale(87)).toEqual({ max: 100, ticks: [0, 50, 100] });
    expect(niceScale(41)).toEqual({ max: 60, ticks: [0, 20, 40, 60] });
    expect(niceScale(300)).toEqual({ max: 300, ticks: [0, 100, 200, 300] });
    expect(niceScale(3)).toEqual({ max: 3, ticks: [0, 1, 2, 3] });
  });

  it('copes with an empty chart (no leads yet)', () => {
    expect(niceScale(0)).toEqual({ max: 1, ticks: [0, 1] });
  });

  it('scales bars to the axis and never draws past it', () => {
    expect(barLength(50, 100, 400)).toBe(200);
    expect(barLength(0, 100, 400)).toBe(0);
    expect(barLength(120, 100, 400)).toBe(400);
  });
});
