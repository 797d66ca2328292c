import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { computeProposal } from './compute-proposal.js';
import { workedExample } from './proposal-fixture.js';

/* Expected figures come from an independent Python re-computation of the same rules (Decimal, half-up). */
describe('computeProposal — the worked example a sales rep would present', () => {
  const proposal = computeProposal(workedExample());

  it('sizes the system from the catalogue', () => {
    expect(proposal.system).toMatchObject({
      moduleCount: 20,
      dcWatts: 8_200,
      kwDc: 8.2,
      kwAc: 6.5,
      dcAcRatio: 1.26,
      batteryKwh: 13.5,
    });
    expect(proposal.system.lines[0]).toEqual({
      kind: 'module',
      manufacturer: 'Qcells',
      model: 'Q.TRON BLK M-G2+ 410',
      quantity: 20,
      rating: '410 W',
    });
  });

  it('prices it from gross to net, to the cent', () => {
    expect(proposal.pricing).toMatchObject({
      systemPriceCents: 2_460_000,
      addersCents: 452_000,
      grossCents: 2_912_000,
      discountCents: 195_600,
      subtotalCents: 2_716_400,
      taxCents: 135_820,
      contractPriceCents: 2_852_220,
      rebateCents: 100_000,
      itcBasisCents: 2_634_683,
      itcCents: 790_405,
      netCostCents: 1_961_815,
      grossCentsPerWatt: 355.12,
      netCentsPerWatt: 239.25,
    });
    expect(proposal.pricing.discounts.map((d) => d.amountCents)).toEqual([145_600, 50_000]);
    expect(proposal.pricing.rebates[0]).toMatchObject({ amountCents: 100_000, capped: true });
  });

  it('projects 25 years of bill savings with rate escalation and module degradation', () => {
    expect(proposal.energy).toHaveLength(25);
    expect(proposal.energy[0]).toMatchObject({
      year: 1,
      productionKwh: 11_000,
      billSavingsCents: 198_000,
      billWithoutSolarCents: 216_000,
    });
    expect(proposal.energy[1]?.billSavingsCents).toBe(202_920);
    expect(proposal.energy[24]?.billSavingsCents).toBe(356_872);
    expect(proposal.energy.reduce((s, e) => s + e.billSavingsCents, 0)).toBe(6_750_113);
  });

  it('evaluates cash: pays back in year 9 and saves $47,882.98 over 25 years', () => {
    const cash = proposal.financing[0]!;
    expect(cash).toMatchObject({
      kind: 'cash',
      upfrontCents: 2_752_220,
      paybackYear: 9,
      paybackYears: 9,
      netSavingsCents: 4_788_298,
    });
    expect(cash.years[1]?.incentivesCents).toBe(790_405);
  });

  it('evaluates the loan with the ITC paydown at month 18', () => {
    const loan = proposal.financing[1]!;
    expect(loan).toMatchObject({
      amountFinancedCents: 2_752_220,
      monthlyPaymentCents: 21_321,
      monthlyPaymentAfterPaydownCents: 14_967,
      paydown: { month: 18, amountCents: 790_405 },
      totalPaymentsCents: 4_496_934,
      paybackYear: 5,
      netSavingsCents: 3_043_584,
    });
  });

  it('evaluates lease and PPA against the bill they replace', () => {
    const [, , lease, ppa] = proposal.financing;
    expect(lease).toMatchObject({ monthlyPaymentCents: 12_000, netSavingsCents: 1_568_381, paybackYear: 0 });
    expect(lease?.years[2]?.paymentsCents).toBe(12 * 12_348);
    expect(ppa).toMatchObject({ monthlyPaymentCents: 11_000, netSavingsCents: 2_307_556, paybackYear: 0 });
    expect(ppa?.years[1]).toMatchObject({ paymentsCents: 132_000, netCents: 66_000 });
  });

  it('reports usage offset and yield, with no warnings for a sound design', () => {
    expect(proposal.production).toMatchObject({
      source: 'pvwatts-v8',
      specificYieldKwhPerKw: 1_341,
      usageOffsetRatio: 0.917,
    });
    expect(proposal.warnings).toEqual([]);
  });
});

describe('computeProposal — bad input is refused with field paths', () => {
  const fieldsOf = (input: unknown): Record<string, string[]> => {
    try {
      computeProposal(input);
    } catch (err) {
      if (err instanceof ValidationFailed) return err.fields;
      throw err;
    }
    throw new Error('expected ValidationFailed');
  };

  it('names each invalid field', () => {
    const input = workedExample();
    input.design.tilt = 95;
    input.utility.rateCentsPerKwh = -1;
    (input.financing[1] as { apr: number }).apr = 7; // 700 % — someone typed a percent
    const fields = fieldsOf(input);
    expect(fields['design.tilt']).toEqual(['Tilt must be between 0 and 90 degrees']);
    expect(fields['utility.rateCentsPerKwh']).toEqual(['Rate (cents per kWh) must not be negative']);
    expect(fields['financing.1.apr']?.[0]).toMatch(/at most 0.4/);
  });

  it('refuses money given as fractional cents', () => {
    const input = workedExample();
    input.catalogue[0]!.unitPriceCents = 299.5;
    expect(fieldsOf(input)['catalogue.0.unitPriceCents']).toEqual(['Unit price must be whole cents']);
  });

  it('refuses a line that is not in the catalogue, and a design without an inverter', () => {
    const input = workedExample();
    input.design.lines = [
      { catalogueItemId: 'mod-410', quantity: 20 },
      { catalogueItemId: 'nope', quantity: 1 },
    ];
    expect(fieldsOf(input)).toEqual({ 'design.lines.1.catalogueItemId': ['Not in the equipment catalogue'] });
    input.design.lines = [{ catalogueItemId: 'mod-410', quantity: 20 }];
    expect(fieldsOf(input)['design.lines']).toEqual([
      'A design needs an inverter path (string, hybrid or microinverters)',
    ]);
  });

  it('refuses a production estimate made for a different system size', () => {
    const input = workedExample();
    input.design.lines[0]!.quantity = 24;
    input.design.lines[1]!.quantity = 24;
    expect(fieldsOf(input)['production.systemCapacityKw']?.[0]).toMatch(
      /estimated for 8.2 kW but the design is 9.84 kW/,
    );
  });

  it('labels an offline production estimate in the warnings', () => {
    const input = workedExample();
    input.production = { ...input.production, source: 'offline-estimate' };
    expect(computeProposal(input).warnings).toContain(
      'Production is an offline estimate, not a PVWatts simulation; see its assumptions.',
    );
  });
});
