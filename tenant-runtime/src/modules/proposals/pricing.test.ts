import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { priceSystem } from './pricing.js';
import {
  catalogueSchema,
  incentivesInputSchema,
  pricingInputSchema,
  systemDesignSchema,
  type IncentivesInput,
  type PricingInput,
} from './proposal-schema.js';
import { workedExample } from './proposal-fixture.js';
import { sizeSystem } from './system-size.js';

const example = workedExample();
const catalogue = catalogueSchema.parse(example.catalogue);
const size = sizeSystem(systemDesignSchema.parse(example.design), catalogue);
const price = (pricing: unknown, incentives: unknown = {}) =>
  priceSystem(
    size,
    pricingInputSchema.parse(pricing) as PricingInput,
    incentivesInputSchema.parse(incentives) as IncentivesInput,
  );

describe('pricing', () => {
  it('line-item pricing sums catalogue prices plus installation', () => {
    // 20×$300 + 20×$240 + $12,000 + 20×$60 = $24,000, + $4,000 installation
    const p = price({ method: { kind: 'line_items', installationCents: 400_000 } });
    expect(p.systemPriceCents).toBe(2_800_000);
    expect(p.equipmentValueCents).toBe(2_400_000);
    expect(p.contractPriceCents).toBe(2_800_000);
    expect(p.grossCentsPerWatt).toBe(341.46);
  });

  it('per-watt pricing rounds fractional cents once, half up', () => {
    // 8,200 W × 287.55 ¢/W = 2,357,910 ¢ exactly; 8,200 W × 2.8756 ¢/W = 23,579.92 ¢ → 23,580
    expect(price({ method: { kind: 'per_watt', centsPerWatt: 287.55 } }).systemPriceCents).toBe(2_357_910);
    expect(price({ method: { kind: 'per_watt', centsPerWatt: 2.8756 } }).systemPriceCents).toBe(23_580);
  });

  it('taxes only the discounted equipment share when tax applies to equipment', () => {
    const p = price({
      method: { kind: 'line_items', installationCents: 400_000 },
      discounts: [{ label: '10 %', kind: 'percent', rate: 0.1 }],
      tax: { rate: 0.0725, appliesTo: 'equipment' },
    });
    // discount 280,000; equipment share of it 240,000 → taxable 2,160,000 × 7.25 % = 156,600
    expect(p.discountCents).toBe(280_000);
    expect(p.taxableCents).toBe(2_160_000);
    expect(p.taxCents).toBe(156_600);
    expect(p.contractPriceCents).toBe(2_520_000 + 156_600);
  });

  it('keeps ineligible equipment and adders out of the ITC basis', () => {
    const noBatteryCredit = workedExample();
    (noBatteryCredit.catalogue[2] as { itcEligible?: boolean }).itcEligible = false;
    const cat = catalogueSchema.parse(noBatteryCredit.catalogue);
    const s = sizeSystem(systemDesignSchema.parse(noBatteryCredit.design), cat);
    const p = priceSystem(
      s,
      pricingInputSchema.parse({
        method: { kind: 'per_watt', centsPerWatt: 300 },
        adders: [
          { code: 'roof_work', label: 'Re-roof', kind: 'fixed', amountCents: 500_000, itcEligible: false },
        ],
      }),
      incentivesInputSchema.parse({ federalItcRate: 0.3 }),
    );
    // eligible: $24,600 system − $12,000 battery = $12,600 → ITC $3,780
    expect(p.itcBasisCents).toBe(1_260_000);
    expect(p.itcCents).toBe(378_000);
    expect(p.netCostCents).toBe(2_960_000 - 378_000);
  });

  it('caps each rebate and all rebates together at the contract price', () => {
    const p = price(
      { method: { kind: 'per_watt', centsPerWatt: 100 } },
      {
        federalItcRate: 0.3,
        rebates: [
          { label: 'State', source: 'state', kind: 'fixed', amountCents: 500_000, capCents: 400_000 },
          { label: 'Utility', source: 'utility', kind: 'fixed', amountCents: 800_000 },
        ],
      },
    );
    expect(p.contractPriceCents).toBe(820_000);
    expect(p.rebates.map((r) => [r.amountCents, r.capped])).toEqual([
      [400_000, true],
      [420_000, true],
    ]);
    expect(p.itcBasisCents).toBe(0);
    expect(p.netCostCents).toBe(0);
  });

  it('a rebate that does not reduce the basis leaves the ITC whole', () => {
    const p = price(
      { method: { kind: 'per_watt', centsPerWatt: 300 } },
      {
        federalItcRate: 0.3,
        rebates: [
          {
            label: 'State credit',
            source: 'state',
            kind: 'fixed',
            amountCents: 100_000,
            reducesItcBasis: false,
          },
        ],
      },
    );
    expect(p.itcCents).toBe(738_000);
    expect(p.netCostCents).toBe(2_460_000 - 100_000 - 738_000);
  });

  it('refuses discounts larger than the price', () => {
    expect(() =>
      price({
        method: { kind: 'per_watt', centsPerWatt: 300 },
        discounts: [{ label: 'Too much', kind: 'fixed', amountCents: 3_000_000 }],
      }),
    ).toThrow(ValidationFailed);
  });
});
