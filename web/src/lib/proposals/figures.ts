import type { ComputedProposal } from '@solar/tenant-runtime/modules/proposals/compute-proposal';
import { priceInDollars } from '@solar/tenant-runtime/modules/proposals/pricing';

/** What the builder shows of a computed proposal, in dollars: small enough to send on every keystroke. */
export interface ProposalFigures {
  system: { kwDc: number; kwAc: number; moduleCount: number; batteryKwh: number; dcAcRatio: number };
  production: {
    /** 'pvwatts-v8' (NREL simulation) or 'offline-estimate' (coarse model) */
    source: string;
    annualKwh: number;
    usageOffsetRatio: number | null;
    assumptions: string[];
  };
  price: {
    systemPrice: number;
    adders: number;
    gross: number;
    discounts: number;
    subtotal: number;
    tax: number;
    contractPrice: number;
    rebates: number;
    federalTaxCredit: number;
    netCost: number;
    grossPerWatt: number;
    netPerWatt: number;
  };
  financing: {
    kind: string;
    label: string;
    upfront: number;
    monthlyPayment: number | null;
    monthlyPaymentAfterPaydown: number | null;
    paybackYears: number | null;
    lifetimeSavings: number;
    /** cumulative net cash flow at the end of each year: signing day (year 0) first, then years 1…N */
    cumulative: number[];
  }[];
  warnings: string[];
}

const dollars = (cents: number) => cents / 100;
const orNull = (cents: number | null) => (cents === null ? null : cents / 100);

/** The builder's view of the engine's result (the same conversions the API's resolvers make). */
export function figuresOf(p: ComputedProposal): ProposalFigures {
  return {
    system: {
      kwDc: p.system.kwDc,
      kwAc: p.system.kwAc,
      moduleCount: p.system.moduleCount,
      batteryKwh: p.system.batteryKwh,
      dcAcRatio: p.system.dcAcRatio,
    },
    production: {
      source: p.production.source,
      annualKwh: p.production.acAnnualKwh,
      usageOffsetRatio: p.production.usageOffsetRatio,
      assumptions: p.production.assumptions,
    },
    price: priceInDollars(p.pricing),
    financing: p.financing.map((f) => ({
      kind: f.kind,
      label: f.label,
      upfront: dollars(f.upfrontCents),
      monthlyPayment: orNull(f.monthlyPaymentCents),
      monthlyPaymentAfterPaydown: orNull(f.monthlyPaymentAfterPaydownCents),
      paybackYears: f.paybackYears,
      lifetimeSavings: dollars(f.netSavingsCents),
      cumulative: f.years.map((y) => dollars(y.cumulativeCents)),
    })),
    warnings: p.warnings,
  };
}
