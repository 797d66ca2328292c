import { ValidationFailed } from '@solar/common/errors';
import { amortize, monthlyPayment } from './amortization.js';
import { roundCents } from './money.js';
import type { FinancingOption, LoanOption } from './proposal-schema.js';
import type { PriceBreakdown } from './pricing.js';
import type { EnergyYear } from './utility-savings.js';

/** One year of an option's cash flow from the customer's side; year 0 is signing day. */
export interface CashFlowYear {
  year: number;
  productionKwh: number;
  billSavingsCents: number;
  /** what the customer pays that year (price, down payment, loan/lease payments, PPA bill, paydown) */
  paymentsCents: number;
  /** money the customer receives that year (the federal ITC, claimed with the year-1 tax return) */
  incentivesCents: number;
  /** billSavings − payments + incentives */
  netCents: number;
  cumulativeCents: number;
}

export interface FinancingResult {
  kind: FinancingOption['kind'];
  label: string;
  /** paid at signing */
  upfrontCents: number;
  /** loan principal (after the dealer-fee gross-up); null for other kinds */
  amountFinancedCents: number | null;
  apr: number | null;
  termMonths: number | null;
  /** first-year monthly payment; for a PPA the average first-year monthly bill; null for cash */
  monthlyPaymentCents: number | null;
  /** loan with paydown: the re-amortised payment after the paydown month */
  monthlyPaymentAfterPaydownCents: number | null;
  paydown: { month: number; amountCents: number } | null;
  /** Σ payments over the analysis, including signing day */
  totalPaymentsCents: number;
  years: CashFlowYear[];
  /** first year from which the cumulative cash flow stays ≥ 0; 0 when it never dips; null if not within the analysis */
  paybackYear: number | null;
  /** interpolated within the payback year, 1 decimal */
  paybackYears: number | null;
  /** cumulative cash flow at the end of the analysis */
  netSavingsCents: number;
}

/**
 * Assumptions every option shares, stated once:
 * - rebates are point-of-sale (assigned to the installer): they lower what a buyer pays or finances;
 * - the federal ITC is received in year 1 by an owner (cash, loan); the ITC basis is the cash price even when
 *   a dealer fee grosses up the loan, which understates the credit slightly rather than overstating it;
 * - a lease or PPA customer does not own the system: no rebates or ITC to them, and after the term ends
 *   neither payments nor savings are counted (renewal terms are unknown today).
 */
export function evaluateFinancing(
  option: FinancingOption,
  price: PriceBreakdown,
  energy: readonly EnergyYear[],
  path = 'financing',
): FinancingResult {
  switch (option.kind) {
    case 'cash':
      return summarize(option, energy, {
        upfrontCents: price.contractPriceCents - price.rebateCents,
        yearly: () => ({ payments: 0, incentives: 0 }),
        itcCents: price.itcCents,
      });
    case 'loan':
      return evaluateLoan(option, price, energy, path);
    case 'lease': {
      const monthly = (year: number) =>
        roundCents(option.monthlyPaymentCents * (1 + option.annualEscalator) ** (year - 1));
      return summarize(option, energy, {
        upfrontCents: option.upfrontCents,
        termYears: option.termYears,
        yearly: (year) => ({ payments: 12 * monthly(year), incentives: 0 }),
        itcCents: 0,
        monthlyPaymentCents: option.monthlyPaymentCents,
      });
    }
    case 'ppa': {
      const bill = (e: EnergyYear) =>
        roundCents(e.productionKwh * option.rateCentsPerKwh * (1 + option.annualEscalator) ** (e.year - 1));
      const first = energy[0];
      return summarize(option, energy, {
        upfrontCents: 0,
        termYears: option.termYears,
        yearly: (_year, e) => ({ payments: bill(e), incentives: 0 }),
        itcCents: 0,
        monthlyPaymentCents: first ? roundCents(bill(first) / 12) : 0,
      });
    }
  }
}

function evaluateLoan(
  option: LoanOption,
  price: PriceBreakdown,
  energy: readonly EnergyYear[],
  path: string,
) {
  const financedBeforeFee = price.contractPriceCents - price.rebateCents - option.downPaymentCents;
  if (financedBeforeFee <= 0)
    throw new ValidationFailed({
      [`${path}.downPaymentCents`]: ['The down payment covers the whole price; offer cash'],
    });
  if (option.paydown && option.paydown.month >= option.termMonths)
    throw new ValidationFailed({
      [`${path}.paydown.month`]: ['The paydown month must fall before the last month'],
    });
  // the lender keeps its fee out of the principal, so the principal is grossed up for the installer to net the price
  const principal = roundCents(financedBeforeFee / (1 - option.dealerFeeRate));
  const paydown = option.paydown
    ? { month: option.paydown.month, amountCents: option.paydown.amountCents ?? price.itcCents }
    : undefined;
  const schedule = amortize(principal, option.apr, option.termMonths, paydown);
  const paidByYear = new Map<number, number>();
  for (const m of schedule) {
    const year = Math.ceil(m.month / 12);
    paidByYear.set(year, (paidByYear.get(year) ?? 0) + m.paymentCents + m.extraCents);
  }
  const paydownMonth = paydown ? schedule.find((m) => m.month === paydown.month) : undefined;
  const afterPaydown = paydown ? schedule.find((m) => m.month === paydown.month + 1) : undefined;
  return {
    ...summarize(option, energy, {
      upfrontCents: option.downPaymentCents,
      yearly: (year) => ({ payments: paidByYear.get(year) ?? 0, incentives: 0 }),
      itcCents: price.itcCents,
      monthlyPaymentCents: monthlyPayment(principal, option.apr, option.termMonths),
    }),
    amountFinancedCents: principal,
    apr: option.apr,
    termMonths: option.termMonths,
    monthlyPaymentAfterPaydownCents: afterPaydown?.paymentCents ?? null,
    paydown: paydownMonth ? { month: paydownMonth.month, amountCents: paydownMonth.extraCents } : null,
  };
}

interface Plan {
  upfrontCents: number;
  /** years after which nothing is counted (lease/PPA); undefined = whole analysis */
  termYears?: number;
  yearly: (year: number, energy: EnergyYear) => { payments: number; incentives: number };
  itcCents: number;
  monthlyPaymentCents?: number;
}

function summarize(option: FinancingOption, energy: readonly EnergyYear[], plan: Plan): FinancingResult {
  const years: CashFlowYear[] = [];
  let cumulative = -plan.upfrontCents;
  years.push({
    year: 0,
    productionKwh: 0,
    billSavingsCents: 0,
    paymentsCents: plan.upfrontCents,
    incentivesCents: 0,
    netCents: -plan.upfrontCents,
    cumulativeCents: cumulative,
  });
  for (const e of energy) {
    const inTerm = plan.termYears === undefined || e.year <= plan.termYears;
    const { payments, incentives } = inTerm ? plan.yearly(e.year, e) : { payments: 0, incentives: 0 };
    const incentivesCents = incentives + (e.year === 1 ? plan.itcCents : 0);
    const billSavingsCents = inTerm ? e.billSavingsCents : 0;
    const netCents = billSavingsCents - payments + incentivesCents;
    cumulative += netCents;
    years.push({
      year: e.year,
      productionKwh: inTerm ? e.productionKwh : 0,
      billSavingsCents,
      paymentsCents: payments,
      incentivesCents,
      netCents,
      cumulativeCents: cumulative,
    });
  }
  const { paybackYear, paybackYears } = payback(years);
  return {
    kind: option.kind,
    label: option.label,
    upfrontCents: plan.upfrontCents,
    amountFinancedCents: null,
    apr: null,
    termMonths: null,
    monthlyPaymentCents: plan.monthlyPaymentCents ?? null,
    monthlyPaymentAfterPaydownCents: null,
    paydown: null,
    totalPaymentsCents: years.reduce((s, y) => s + y.paymentsCents, 0),
    years,
    paybackYear,
    paybackYears,
    netSavingsCents: cumulative,
  };
}

/** Break-even: the year after the last year whose cumulative cash flow is negative. */
function payback(years: readonly CashFlowYear[]): {
  paybackYear: number | null;
  paybackYears: number | null;
} {
  let lastNegative = -1;
  years.forEach((y, i) => {
    if (y.cumulativeCents < 0) lastNegative = i;
  });
  if (lastNegative === -1) return { paybackYear: 0, paybackYears: 0 };
  const next = years[lastNegative + 1];
  const before = years[lastNegative];
  if (!next || !before) return { paybackYear: null, paybackYears: null };
  const fraction = next.netCents > 0 ? -before.cumulativeCents / next.netCents : 1;
  return { paybackYear: next.year, paybackYears: Math.round((before.year + fraction) * 10) / 10 };
}
