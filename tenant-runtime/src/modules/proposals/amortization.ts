import { roundCents } from './money.js';

/**
 * Level monthly payment of a fully amortising loan, M = P·r / (1 − (1+r)^−n) with r = APR/12,
 * and M = P/n when the APR is 0. Rounded half away from zero to the cent.
 */
export function monthlyPayment(principalCents: number, apr: number, termMonths: number): number {
  if (principalCents <= 0) return 0;
  if (!Number.isInteger(termMonths) || termMonths < 1)
    throw new RangeError('termMonths must be a positive integer');
  const r = apr / 12;
  if (r === 0) return roundCents(principalCents / termMonths);
  return roundCents((principalCents * r) / (1 - (1 + r) ** -termMonths));
}

export interface ScheduleMonth {
  month: number;
  paymentCents: number;
  interestCents: number;
  principalCents: number;
  /** extra principal paid this month (the paydown), on top of the payment */
  extraCents: number;
  balanceCents: number;
}

export interface Paydown {
  /** paid together with this month's payment */
  month: number;
  amountCents: number;
}

/**
 * Month-by-month schedule. Each month's interest is round(balance × r); the last payment is whatever clears
 * the balance, so rounding never leaves a stray cent. With a paydown, the extra principal is paid in its month
 * and the rest of the balance is re-amortised at the same APR over the months that remain, which lowers the
 * payment (the usual "ITC paydown at month 18" loan).
 */
export function amortize(
  principalCents: number,
  apr: number,
  termMonths: number,
  paydown?: Paydown,
): ScheduleMonth[] {
  const r = apr / 12;
  const months: ScheduleMonth[] = [];
  let balance = principalCents;
  let payment = monthlyPayment(principalCents, apr, termMonths);
  for (let month = 1; month <= termMonths && balance > 0; month++) {
    const interestCents = roundCents(balance * r);
    const paymentCents =
      month === termMonths ? balance + interestCents : Math.min(payment, balance + interestCents);
    const principalPart = paymentCents - interestCents;
    balance -= principalPart;
    let extraCents = 0;
    if (paydown && paydown.month === month && balance > 0) {
      extraCents = Math.min(paydown.amountCents, balance);
      balance -= extraCents;
      payment = monthlyPayment(balance, apr, termMonths - month);
    }
    months.push({
      month,
      paymentCents,
      interestCents,
      principalCents: principalPart,
      extraCents,
      balanceCents: balance,
    });
  }
  return months;
}
