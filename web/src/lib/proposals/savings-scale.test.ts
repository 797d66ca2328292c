import { describe, expect, it } from 'vitest';
import { signedScale } from './savings-scale.js';

describe('the savings chart axis', () => {
  it('reaches below zero for a purchase that pays back later, in round steps', () => {
    const scale = signedScale([-25_420, -16_034, 3_000, 48_700]);
    expect(scale.min).toBe(-40_000);
    expect(scale.max).toBe(60_000);
    expect(scale.ticks).toEqual([-40_000, -20_000, 0, 20_000, 40_000, 60_000]);
  });

  it('starts at zero when every year saves', () => {
    expect(signedScale([100, 900]).min).toBe(0);
    expect(signedScale([100, 900]).ticks[0]).toBe(0);
  });
});
