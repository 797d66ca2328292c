import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { evaluateFinancing } from './financing.js';
import type { PriceBreakdown } from './pricing.js';
import { financingOptionSchema } from './proposal-schema.js';
import type { EnergyYear } from './utility-savings.js';

/* A flat world (no escalation, no degradation) so every figure below can be checked by hand. */
const price = { contractPriceCents: 2_000_000, rebateCents: 0, itcCents: 600_000 } as PriceBreakdown;
const flatYears = (n: number, savings = 200_000, kwh = 10_000): EnergyYear[] =>
  Array.from({ length: n }, (_, i) => ({
    year: i + 1,
    productionKwh: kwh,
    rateCentsPerKwh: 20,
    billWithoutSolarCents: 240_000,
    billSavingsCents: savings,
  }));
const evaluate = (option: unknown, energy = flatYears(25), p = price) =>
  evaluateFinancing(financingOptionSchema.parse(option), p, energy);

describe('financing options over 25 years', () => {
  it('cash: −$20,000 at signing, +$6,000 ITC in year 1, $2,000 a year → breaks even in year 7', () => {
    const r = evaluate({ kind: 'cash', label: 'Cash' });
    expect(r.years.map((y) => y.cumulativeCents).slice(0, 8)).toEqual([
      -2_000_000, -1_200_000, -1_000_000, -800_000, -600_000, -400_000, -200_000, 0,
    ]);
    expect(r).toMatchObject({
      upfrontCents: 2_000_000,
      monthlyPaymentCents: null,
      paybackYear: 7,
      paybackYears: 7,
    });
    expect(r.netSavingsCents).toBe(-2_000_000 + 600_000 + 25 * 200_000);
  });

  it('payback is null when savings never repay the price', () => {
    const r = evaluate({ kind: 'cash', label: 'Cash' }, flatYears(25, 50_000));
    expect(r.paybackYear).toBeNull();
    expect(r.netSavingsCents).toBe(-2_000_000 + 600_000 + 25 * 50_000);
  });

  it('loan at 0 % APR: $20,000 over 120 months is $166.67/month, last month $166.27', () => {
    const r = evaluate({ kind: 'loan', label: '0 %', apr: 0, termMonths: 120 });
    expect(r.monthlyPaymentCents).toBe(16_667);
    expect(r.years[1]?.paymentsCents).toBe(12 * 16_667);
    expect(r.years[10]?.paymentsCents).toBe(11 * 16_667 + 16_627);
    expect(r.years[11]?.paymentsCents).toBe(0);
    expect(r.totalPaymentsCents).toBe(2_000_000);
  });

  it('a dealer fee grosses up the amount financed', () => {
    const r = evaluate({
      kind: 'loan',
      label: 'With fee',
      apr: 0.0699,
      termMonths: 240,
      dealerFeeRate: 0.2,
      downPaymentCents: 400_000,
    });
    // ($20,000 − $4,000) / 0.8 = $20,000 financed → same payment as $20,000 at 6.99 %/20 y
    expect(r.amountFinancedCents).toBe(2_000_000);
    expect(r.monthlyPaymentCents).toBe(15_494);
    expect(r.years[0]?.paymentsCents).toBe(400_000);
  });

  it('refuses a down payment that covers the price and a paydown after the term', () => {
    expect(() =>
      evaluate({ kind: 'loan', label: 'x', apr: 0.05, termMonths: 60, downPaymentCents: 2_000_000 }),
    ).toThrow(ValidationFailed);
    expect(() =>
      evaluate({ kind: 'loan', label: 'x', apr: 0.05, termMonths: 60, paydown: { month: 60 } }),
    ).toThrow(ValidationFailed);
  });

  it('lease: payments rise with the escalator, nothing counted after the term', () => {
    const r = evaluate({
      kind: 'lease',
      label: 'Lease',
      monthlyPaymentCents: 10_000,
      annualEscalator: 0.025,
      termYears: 20,
    });
    expect(r.years[1]?.paymentsCents).toBe(120_000);
    expect(r.years[2]?.paymentsCents).toBe(12 * 10_250);
    expect(r.years[3]?.paymentsCents).toBe(12 * 10_506); // 10,000 × 1.025² = 10,506.25
    expect(r.years[21]).toMatchObject({ paymentsCents: 0, billSavingsCents: 0, netCents: 0 });
    expect(r.paybackYear).toBe(0);
    expect(r.years[1]?.incentivesCents).toBe(0);
  });

  it('PPA: bill = kWh × rate × escalator; savings can turn negative when the PPA outpaces the utility', () => {
    const r = evaluate({
      kind: 'ppa',
      label: 'PPA',
      rateCentsPerKwh: 15,
      annualEscalator: 0.05,
      termYears: 25,
    });
    expect(r.monthlyPaymentCents).toBe(12_500); // 10,000 kWh × 15 ¢ / 12
    expect(r.years[1]).toMatchObject({ paymentsCents: 150_000, netCents: 50_000 });
    expect(r.years[2]?.paymentsCents).toBe(157_500);
    // 150,000 × 1.05^8 = 221,618 > 200,000 savings: a loss from year 9
    expect(r.years[9]?.netCents).toBeLessThan(0);
    expect(r.paybackYear).toBeNull();
  });
});
