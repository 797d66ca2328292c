import { describe, expect, it } from 'vitest';
import { utilityInputSchema } from './proposal-schema.js';
import { projectEnergy } from './utility-savings.js';

const analysis = { years: 3, moduleDegradationRate: 0 };
const utility = (over: object) =>
  utilityInputSchema.parse({ annualUsageKwh: 10_000, rateCentsPerKwh: 20, annualRateEscalation: 0, ...over });

describe('bill savings', () => {
  it('full net metering values every kWh up to the yearly usage at the retail rate', () => {
    expect(projectEnergy(8_000, utility({}), analysis)[0]?.billSavingsCents).toBe(160_000);
  });

  it('exports under a reduced credit are worth less than self-consumed kWh', () => {
    // 40 % of 8,000 used on site at 20 ¢ = 64,000; 4,800 exported at 20 ¢ × 0.25 = 24,000
    const years = projectEnergy(8_000, utility({ exportCreditRatio: 0.25 }), analysis);
    expect(years[0]?.billSavingsCents).toBe(88_000);
  });

  it('production beyond the yearly usage earns only the surplus credit', () => {
    // 10,000 kWh offset at 20 ¢ = 200,000; 2,000 surplus at 3 ¢ = 6,000
    expect(
      projectEnergy(12_000, utility({ surplusCreditCentsPerKwh: 3 }), analysis)[0]?.billSavingsCents,
    ).toBe(206_000);
  });

  it('escalates the rate and degrades production each year', () => {
    const years = projectEnergy(8_000, utility({ annualRateEscalation: 0.03 }), {
      years: 3,
      moduleDegradationRate: 0.005,
    });
    expect(years.map((y) => y.productionKwh)).toEqual([8_000, 7_960, 7_920.2]);
    expect(years.map((y) => y.billWithoutSolarCents)).toEqual([200_000, 206_000, 212_180]);
    // 7,960 × 20.6 = 163,976; 7,920.2 × 21.218 = 168,050.80 → 168,051
    expect(years.map((y) => y.billSavingsCents)).toEqual([160_000, 163_976, 168_051]);
  });
});
