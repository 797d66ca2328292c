import { ValidationFailed } from '@solar/common/errors';
import { round2, roundCents } from './money.js';
import type { IncentivesInput, PricingInput, Rebate } from './proposal-schema.js';
import type { SystemSize } from './system-size.js';

export interface PricedLine {
  label: string;
  amountCents: number;
}

/**
 * The price of one proposal, top to bottom. All amounts are integer cents (see money.ts for rounding):
 *   systemPrice + adders                    = gross
 *   gross − discounts                       = subtotal
 *   subtotal + tax                          = contractPrice   (what the customer signs for)
 *   contractPrice − rebates − federal ITC   = netCost
 */
export interface PriceBreakdown {
  /** per_watt: round(dcWatts × ¢/W); line_items: Σ unit price × qty + installation */
  systemPriceCents: number;
  /** sell value of the equipment (Σ unit price × qty, at most the system price); the 'equipment' tax base */
  equipmentValueCents: number;
  adders: (PricedLine & { code: string; itcEligible: boolean })[];
  addersCents: number;
  grossCents: number;
  discounts: PricedLine[];
  discountCents: number;
  subtotalCents: number;
  taxRate: number;
  taxableCents: number;
  taxCents: number;
  contractPriceCents: number;
  rebates: (PricedLine & { source: Rebate['source']; capped: boolean })[];
  rebateCents: number;
  itcRate: number;
  itcBasisCents: number;
  itcCents: number;
  netCostCents: number;
  /** gross / DC watts and net cost / DC watts, in cents per watt to 2 decimals */
  grossCentsPerWatt: number;
  netCentsPerWatt: number;
}

/** The breakdown's totals in dollars, as the API's REST figures and the web builder show them. */
export function priceInDollars(x: PriceBreakdown) {
  const dollars = (cents: number) => cents / 100;
  return {
    systemPrice: dollars(x.systemPriceCents),
    adders: dollars(x.addersCents),
    gross: dollars(x.grossCents),
    discounts: dollars(x.discountCents),
    subtotal: dollars(x.subtotalCents),
    tax: dollars(x.taxCents),
    contractPrice: dollars(x.contractPriceCents),
    rebates: dollars(x.rebateCents),
    federalTaxCredit: dollars(x.itcCents),
    netCost: dollars(x.netCostCents),
    grossPerWatt: x.grossCentsPerWatt / 100,
    netPerWatt: x.netCentsPerWatt / 100,
  };
}

/** Share `amount` of `whole` in proportion part/whole, rounded to a cent (0 when whole is 0). */
const prorate = (amount: number, part: number, whole: number) =>
  whole === 0 ? 0 : roundCents((amount * part) / whole);

/**
 * Prices a sized system. Rules, in order:
 * - percent discounts each apply to the gross (they do not compound); fixed discounts follow; together they may
 *   not exceed the gross;
 * - discounts are shared pro rata between equipment/eligible parts and the rest, each share rounded to a cent;
 * - tax = round(taxable × rate); 'equipment' taxes the discounted equipment share, 'total' the whole subtotal;
 * - rebates: per-watt ones are round(dcWatts × ¢/W), each is held to its cap, and all together to the contract price;
 * - ITC basis = eligible subtotal + the tax on it − rebates that reduce the basis (never below 0);
 *   ITC = round(basis × rate).
 */
export function priceSystem(
  size: SystemSize,
  pricing: PricingInput,
  incentives: IncentivesInput,
): PriceBreakdown {
  const lineValue = (eligible?: boolean) =>
    size.lines
      .filter(({ item }) => eligible === undefined || item.itcEligible === eligible)
      .reduce((sum, { item, quantity }) => sum + item.unitPriceCents * quantity, 0);

  const systemPriceCents =
    pricing.method.kind === 'per_watt'
      ? roundCents(size.dcWatts * pricing.method.centsPerWatt)
      : lineValue() + pricing.method.installationCents;
  const equipmentValueCents = Math.min(lineValue(), systemPriceCents);
  const ineligibleEquipmentCents = Math.min(lineValue(false), systemPriceCents);

  const adders = pricing.adders.map((a) => {
    const amountCents =
      a.kind === 'fixed'
        ? a.amountCents
        : a.kind === 'per_watt'
          ? roundCents(size.dcWatts * a.centsPerWatt)
          : a.unitPriceCents * a.quantity;
    return { label: a.label, code: a.code, itcEligible: a.itcEligible, amountCents };
  });
  const addersCents = sum(adders);
  const grossCents = systemPriceCents + addersCents;

  const discounts = [
    ...pricing.discounts.flatMap((d) =>
      d.kind === 'percent' ? [{ label: d.label, amountCents: roundCents(grossCents * d.rate) }] : [],
    ),
    ...pricing.discounts.flatMap((d) =>
      d.kind === 'fixed' ? [{ label: d.label, amountCents: d.amountCents }] : [],
    ),
  ];
  const discountCents = sum(discounts);
  if (discountCents > grossCents)
    throw new ValidationFailed({ 'pricing.discounts': ['Discounts add up to more than the price'] });
  const subtotalCents = grossCents - discountCents;

  const taxRate = pricing.tax.appliesTo === 'none' ? 0 : pricing.tax.rate;
  const taxableCents =
    pricing.tax.appliesTo === 'none'
      ? 0
      : pricing.tax.appliesTo === 'total'
        ? subtotalCents
        : equipmentValueCents - prorate(discountCents, equipmentValueCents, grossCents);
  const taxCents = roundCents(taxableCents * taxRate);
  const contractPriceCents = subtotalCents + taxCents;

  let rebateRoom = contractPriceCents;
  const rebates = incentives.rebates.map((r) => {
    const raw = r.kind === 'fixed' ? r.amountCents : roundCents(size.dcWatts * r.centsPerWatt);
    const afterCap = r.capCents === undefined ? raw : Math.min(raw, r.capCents);
    const amountCents = Math.min(afterCap, rebateRoom);
    rebateRoom -= amountCents;
    return {
      label: r.label,
      source: r.source,
      amountCents,
      capped: amountCents < raw,
      reducesBasis: r.reducesItcBasis,
    };
  });
  const rebateCents = sum(rebates);

  const eligibleGross =
    systemPriceCents - ineligibleEquipmentCents + sum(adders.filter((a) => a.itcEligible));
  const eligibleSubtotal = eligibleGross - prorate(discountCents, eligibleGross, grossCents);
  const eligibleTax = prorate(taxCents, eligibleSubtotal, subtotalCents);
  const itcRate = incentives.federalItcRate;
  const itcBasisCents = Math.max(
    0,
    eligibleSubtotal + eligibleTax - sum(rebates.filter((r) => r.reducesBasis)),
  );
  const itcCents = roundCents(itcBasisCents * itcRate);
  const netCostCents = contractPriceCents - rebateCents - itcCents;

  return {
    systemPriceCents,
    equipmentValueCents,
    adders,
    addersCents,
    grossCents,
    discounts,
    discountCents,
    subtotalCents,
    taxRate,
    taxableCents,
    taxCents,
    contractPriceCents,
    rebates: rebates.map(({ reducesBasis: _r, ...r }) => r),
    rebateCents,
    itcRate,
    itcBasisCents,
    itcCents,
    netCostCents,
    grossCentsPerWatt: round2(grossCents / size.dcWatts),
    netCentsPerWatt: round2(netCostCents / size.dcWatts),
  };
}

function sum(lines: readonly { amountCents: number }[]): number {
  return lines.reduce((s, l) => s + l.amountCents, 0);
}
