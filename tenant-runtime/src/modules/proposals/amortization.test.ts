import { describe, expect, it } from 'vitest';
import { amortize, monthlyPayment } from './amortization.js';

/*
 * Expected payments were computed independently (Python Decimal and `bc`, M = P·r/(1−(1+r)^−n), r = APR/12),
 * not with this code. Note: the example "$30,000 at 6.99 % for 20 years → $232.38" is off by 3 cents;
 * the formula gives 232.4096… → $232.41.
 */
describe('monthly loan payment matches the standard amortisation formula', () => {
  it.each([
    { principal: 3_000_000, apr: 0.0699, months: 240, payment: 23_241 },
    { principal: 2_500_000, apr: 0.0599, months: 300, payment: 16_092 },
    { principal: 2_000_000, apr: 0.0499, months: 120, payment: 21_203 },
    { principal: 1_000_000, apr: 0.12, months: 12, payment: 88_849 },
    { principal: 10_000_000, apr: 0.0399, months: 300, payment: 52_728 },
    { principal: 1_200_000, apr: 0, months: 144, payment: 8_333 },
    { principal: 0, apr: 0.0699, months: 240, payment: 0 },
  ])(
    '$principal cents at $apr over $months months → $payment cents',
    ({ principal, apr, months, payment }) => {
      expect(monthlyPayment(principal, apr, months)).toBe(payment);
    },
  );

  it('refuses a term that is not a positive whole number of months', () => {
    expect(() => monthlyPayment(100_000, 0.05, 0)).toThrow(RangeError);
    expect(() => monthlyPayment(100_000, 0.05, 12.5)).toThrow(RangeError);
  });
});

describe('amortisation schedule', () => {
  it('pays the loan off exactly, the last payment absorbing the rounding', () => {
    const schedule = amortize(3_000_000, 0.0699, 240);
    expect(schedule).toHaveLength(240);
    expect(schedule.at(-1)?.balanceCents).toBe(0);
    expect(schedule.reduce((s, m) => s + m.principalCents, 0)).toBe(3_000_000);
    expect(schedule[0]).toMatchObject({ paymentCents: 23_241, interestCents: 17_475, principalCents: 5_766 });
    expect(schedule.at(-1)?.paymentCents).toBe(23_213);
    expect(schedule.reduce((s, m) => s + m.paymentCents, 0)).toBe(5_577_812);
  });

  it('zero APR splits the principal evenly and charges no interest', () => {
    const schedule = amortize(1_200_000, 0, 144);
    expect(schedule.every((m) => m.interestCents === 0)).toBe(true);
    expect(schedule.reduce((s, m) => s + m.paymentCents, 0)).toBe(1_200_000);
    expect(schedule.at(-1)?.paymentCents).toBe(1_200_000 - 143 * 8_333);
  });

  it('re-amortises the remaining balance after an ITC paydown at month 18', () => {
    const schedule = amortize(3_000_000, 0.0699, 240, { month: 18, amountCents: 900_000 });
    const m18 = schedule[17]!;
    expect(m18.extraCents).toBe(900_000);
    expect(m18.balanceCents).toBe(2_890_912 - 900_000);
    expect(schedule[18]?.paymentCents).toBe(16_006);
    expect(schedule).toHaveLength(240);
    expect(schedule.at(-1)?.balanceCents).toBe(0);
    expect(schedule.reduce((s, m) => s + m.paymentCents + m.extraCents, 0)).toBe(4_871_477);
  });

  it('a paydown larger than the balance just closes the loan', () => {
    const schedule = amortize(500_000, 0.05, 60, { month: 12, amountCents: 10_000_000 });
    expect(schedule).toHaveLength(12);
    expect(schedule.at(-1)?.balanceCents).toBe(0);
    expect(schedule.at(-1)?.extraCents).toBeLessThan(500_000);
  });
});
