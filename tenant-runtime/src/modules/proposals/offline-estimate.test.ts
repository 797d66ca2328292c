import { describe, expect, it } from 'vitest';
import { estimateOffline, type OfflineEstimateInput } from './offline-estimate.js';

const base: OfflineEstimateInput = {
  systemCapacityKw: 8,
  lat: 39.7,
  lon: -104.9,
  tilt: 25,
  azimuth: 180,
  lossesRate: 0.14,
  arrayType: 'fixed_roof',
  moduleType: 'standard',
};
const annual = (over: Partial<OfflineEstimateInput>) => estimateOffline({ ...base, ...over }).acAnnualKwh;

describe('offline production estimate', () => {
  const estimate = estimateOffline(base);

  it('is labelled as an offline estimate and lists its assumptions', () => {
    expect(estimate.source).toBe('offline-estimate');
    expect(estimate.station).toBeNull();
    expect(estimate.assumptions[0]).toMatch(/^Offline estimate: no weather data/);
    expect(estimate.assumptions.join(' ')).toContain('System losses 14.0 %');
  });

  it('gives a plausible mid-latitude yield whose months add up to the year', () => {
    const perKw = estimate.acAnnualKwh / 8;
    // PVWatts gives ~1,250–1,550 kWh/kW for south-facing roofs around 40° N
    expect(perKw).toBeGreaterThan(1_150);
    expect(perKw).toBeLessThan(1_600);
    expect(estimate.acMonthlyKwh).toHaveLength(12);
    expect(estimate.acMonthlyKwh.reduce((s, v) => s + v, 0)).toBeCloseTo(estimate.acAnnualKwh, 0);
    expect(estimate.capacityFactorPct).toBeCloseTo((estimate.acAnnualKwh / (8 * 8760)) * 100, 1);
    // northern summer beats northern winter
    expect(estimate.acMonthlyKwh[5]!).toBeGreaterThan(estimate.acMonthlyKwh[11]! * 1.5);
  });

  it('favours equator-facing arrays in both hemispheres', () => {
    const south = annual({});
    expect(south).toBeGreaterThan(annual({ azimuth: 90 }));
    expect(annual({ azimuth: 90 })).toBeGreaterThan(annual({ azimuth: 0 }));
    // Sydney: north-facing (azimuth 0) is the good roof, and summer is in January
    const sydneyNorth = estimateOffline({ ...base, lat: -33.9, lon: 151.2, azimuth: 0 });
    expect(sydneyNorth.acAnnualKwh).toBeGreaterThan(annual({ lat: -33.9, lon: 151.2, azimuth: 180 }));
    expect(sydneyNorth.acMonthlyKwh[0]!).toBeGreaterThan(sydneyNorth.acMonthlyKwh[5]!);
  });

  it('scales with size and losses, and yields less far from the equator', () => {
    expect(annual({ systemCapacityKw: 16 })).toBeCloseTo(2 * annual({}), -1);
    expect(annual({ lossesRate: 0.24 }) / annual({ lossesRate: 0.14 })).toBeCloseTo(0.76 / 0.86, 2);
    expect(annual({ lat: 33.4 })).toBeGreaterThan(annual({ lat: 47.6 }));
    expect(annual({ lat: 47.6 })).toBeGreaterThan(annual({ lat: 60 }));
  });

  it('trackers beat fixed arrays, and two axes beat one', () => {
    const fixed = annual({ arrayType: 'fixed_open_rack' });
    const oneAxis = annual({ arrayType: 'one_axis' });
    expect(oneAxis).toBeGreaterThan(fixed * 1.1);
    expect(annual({ arrayType: 'two_axis' })).toBeGreaterThan(oneAxis);
    expect(annual({ arrayType: 'one_axis_backtracking' })).toBeLessThan(oneAxis);
  });
});
