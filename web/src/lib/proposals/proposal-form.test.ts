import { describe, expect, it } from 'vitest';
import {
  financingOption,
  formFromInputs,
  newAdder,
  newProposalForm,
  newRebate,
  shownPaths,
  siteLocation,
  toProposalInput,
  unplacedMessages,
} from './proposal-form.js';

describe('the proposal builder form', () => {
  it('estimates production at the site only when both coordinates are known', () => {
    expect(siteLocation({ latitude: 33.45, longitude: -112.07 })).toEqual({ lat: 33.45, lon: -112.07 });
    expect(siteLocation({ latitude: 0, longitude: 0 })).toEqual({ lat: 0, lon: 0 });
    expect(siteLocation({ latitude: 33.45, longitude: null })).toBeNull();
    expect(siteLocation(null)).toBeNull();
  });

  it('starts from what the site knows: roof pitch and direction, yearly usage', () => {
    const form = newProposalForm({ roofPitchDeg: 27, roofAzimuthDeg: 200, annualUsageKwh: 9_400 });
    expect(form).toMatchObject({ tilt: 27, azimuth: 200, annualUsageKwh: 9_400 });
    expect(newProposalForm(null)).toMatchObject({ tilt: 20, azimuth: 180 });
  });

  it('turns dollars, percent and $/W into the API’s cents and fractions without float dust', () => {
    const form = newProposalForm(null);
    form.lines = [{ catalogueItemId: 'mod', quantity: 24 }];
    form.pricePerWatt = 3.1;
    form.taxPct = 7.25;
    form.adders = [{ ...newAdder(), label: 'Panel upgrade', amount: 2_450.5 }];
    form.discounts = [{ label: 'Referral', kind: 'percent', value: 5 }];
    form.financing = [{ ...financingOption('loan'), aprPct: 6.99, termMonths: 240, downPayment: 1_000 }];
    const input = toProposalInput(form) as {
      pricing: { method: unknown; adders: unknown[]; discounts: unknown[]; tax: unknown };
      financing: unknown[];
    };
    expect(input.pricing.method).toEqual({ kind: 'per_watt', centsPerWatt: 310 });
    expect(input.pricing.tax).toEqual({ rate: 0.0725, appliesTo: 'none' });
    expect(input.pricing.adders[0]).toMatchObject({ kind: 'fixed', amountCents: 245_050 });
    expect(input.pricing.discounts[0]).toEqual({ label: 'Referral', kind: 'percent', rate: 0.05 });
    expect(input.financing[0]).toEqual({
      kind: 'loan',
      label: 'Solar loan',
      apr: 0.0699,
      termMonths: 240,
      downPaymentCents: 100_000,
      dealerFeeRate: 0,
    });
  });

  it('reads a stored version back into the same form', () => {
    const form = newProposalForm(null);
    form.lines = [{ catalogueItemId: 'mod', quantity: 18 }];
    form.discounts = [{ label: 'Spring', kind: 'fixed', value: 500 }];
    form.rebates = [{ ...newRebate(), label: 'State rebate', source: 'state', amount: 1_000 }];
    form.financing = [
      financingOption('cash'),
      { ...financingOption('loan'), aprPct: 5.49 },
      { ...financingOption('ppa'), ppaCentsPerKwh: 11.5, escalatorPct: 2.9 },
    ];
    const back = formFromInputs(toProposalInput(form));
    expect(toProposalInput(back)).toEqual(toProposalInput(form));
  });

  it('keeps every adder and rebate an integration wrote when the builder saves the version again', () => {
    const stored = {
      design: { lines: [{ catalogueItemId: 'mod', quantity: 20 }], tilt: 20, azimuth: 180, lossesRate: 0.14 },
      pricing: {
        method: { kind: 'per_watt', centsPerWatt: 300 },
        adders: [
          {
            code: 'critter_guard',
            label: 'Critter guard',
            kind: 'per_watt',
            centsPerWatt: 10,
            itcEligible: true,
          },
          {
            code: 'trenching',
            label: 'Trenching',
            kind: 'per_unit',
            unitPriceCents: 2_500,
            quantity: 40,
            itcEligible: true,
          },
          { code: 'roof_work', label: 'Re-roof', kind: 'fixed', amountCents: 900_000, itcEligible: false },
        ],
        discounts: [],
        tax: { rate: 0, appliesTo: 'none' },
      },
      incentives: {
        federalItcRate: 0.3,
        rebates: [
          {
            label: 'Utility',
            source: 'utility',
            kind: 'per_watt',
            centsPerWatt: 20,
            capCents: 150_000,
            reducesItcBasis: true,
          },
          { label: 'City', source: 'local', kind: 'fixed', amountCents: 50_000, reducesItcBasis: false },
        ],
      },
      utility: { annualUsageKwh: 10_000, rateCentsPerKwh: 16, annualRateEscalation: 0.03 },
      financing: [{ kind: 'cash', label: 'Cash' }],
    };
    const again = toProposalInput(formFromInputs(stored));
    expect(again['pricing']).toEqual(stored.pricing);
    expect(again['incentives']).toEqual(stored.incentives);
  });

  it('lists messages for fields the builder does not show, named by their path', () => {
    const form = newProposalForm(null);
    form.financing = [financingOption('loan')];
    const shown = shownPaths(form);
    expect(shown.has('financing.0.apr')).toBe(true);
    expect(
      unplacedMessages({ 'financing.0.apr': 'Too high', 'analysis.years': 'At most 40' }, shown),
    ).toEqual(['analysis › years: At most 40']);
  });
});
