import type { ProposalInput } from './proposal-schema.js';

/**
 * The worked example the tests (and the report) use: 20 × 410 W modules on microinverters with a 13.5 kWh
 * battery, priced per watt with adders, a discount, sales tax, a capped utility rebate and a 30 % ITC.
 * Figures expected from it were computed independently in Python (see the tests).
 */
export function workedExample(): ProposalInput {
  return {
    catalogue: [
      {
        id: 'mod-410',
        kind: 'module',
        manufacturer: 'Qcells',
        model: 'Q.TRON BLK M-G2+ 410',
        watts: 410,
        unitCostCents: 18_000,
        unitPriceCents: 30_000,
      },
      {
        id: 'iq8m',
        kind: 'inverter',
        inverterType: 'micro',
        manufacturer: 'Enphase',
        model: 'IQ8M',
        acKw: 0.325,
        unitCostCents: 16_000,
        unitPriceCents: 24_000,
      },
      {
        id: 'pw3',
        kind: 'battery',
        manufacturer: 'Tesla',
        model: 'Powerwall 3',
        kwh: 13.5,
        powerKw: 11.5,
        unitCostCents: 900_000,
        unitPriceCents: 1_200_000,
      },
      {
        id: 'rack',
        kind: 'racking',
        manufacturer: 'IronRidge',
        model: 'XR10 (per module)',
        unitCostCents: 4_000,
        unitPriceCents: 6_000,
      },
      {
        id: 'str-76',
        kind: 'inverter',
        inverterType: 'string',
        manufacturer: 'SolarEdge',
        model: 'SE7600H',
        acKw: 7.6,
        unitCostCents: 150_000,
        unitPriceCents: 220_000,
      },
    ],
    design: {
      lines: [
        { catalogueItemId: 'mod-410', quantity: 20 },
        { catalogueItemId: 'iq8m', quantity: 20 },
        { catalogueItemId: 'pw3', quantity: 1 },
        { catalogueItemId: 'rack', quantity: 20 },
      ],
      tilt: 25,
      azimuth: 180,
      lossesRate: 0.14,
      arrayType: 'fixed_roof',
      moduleType: 'standard',
    },
    pricing: {
      method: { kind: 'per_watt', centsPerWatt: 300 },
      adders: [
        { code: 'main_panel_upgrade', label: 'Main panel upgrade', kind: 'fixed', amountCents: 250_000 },
        { code: 'critter_guard', label: 'Critter guard', kind: 'per_watt', centsPerWatt: 10 },
        { code: 'roof_work', label: 'Roof repair', kind: 'fixed', amountCents: 120_000, itcEligible: false },
      ],
      discounts: [
        { label: 'Spring promotion 5 %', kind: 'percent', rate: 0.05 },
        { label: 'Referral', kind: 'fixed', amountCents: 50_000 },
      ],
      tax: { rate: 0.05, appliesTo: 'total' },
    },
    incentives: {
      federalItcRate: 0.3,
      rebates: [
        {
          label: 'Utility solar rebate',
          source: 'utility',
          kind: 'per_watt',
          centsPerWatt: 20,
          capCents: 100_000,
        },
      ],
    },
    utility: {
      annualUsageKwh: 12_000,
      rateCentsPerKwh: 18,
      annualRateEscalation: 0.03,
      selfConsumptionRatio: 0.4,
      exportCreditRatio: 1,
    },
    financing: [
      { kind: 'cash', label: 'Cash' },
      { kind: 'loan', label: '20-year loan', apr: 0.0699, termMonths: 240, paydown: { month: 18 } },
      { kind: 'lease', label: 'Lease', monthlyPaymentCents: 12_000, annualEscalator: 0.029, termYears: 25 },
      { kind: 'ppa', label: 'PPA', rateCentsPerKwh: 12, annualEscalator: 0.029, termYears: 25 },
    ],
    production: {
      source: 'pvwatts-v8',
      acAnnualKwh: 11_000,
      acMonthlyKwh: [600, 700, 900, 1_050, 1_200, 1_250, 1_250, 1_150, 1_000, 800, 600, 500],
      capacityFactorPct: 15.31,
      systemCapacityKw: 8.2,
      assumptions: ['NREL PVWatts v8 with typical-year weather.'],
      warnings: [],
      station: null,
    },
  };
}
