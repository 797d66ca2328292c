import { z } from 'zod';

/*
 * Inputs of the proposal engine. Conventions, so a figure means one thing everywhere:
 * - money amounts are integer cents (`…Cents`);
 * - rates per unit (¢/W, ¢/kWh) are cents as numbers with up to 4 decimals, since tariffs like 17.25 ¢/kWh exist;
 * - percentages are decimals (0.3 = 30 %), named `…Rate` or `…Ratio`;
 * - every message names the expectation, so a form can show it beside the field.
 */

const text = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const cents = (label = 'Amount') =>
  z
    .number(`${label} must be a number of cents`)
    .int(`${label} must be whole cents`)
    .min(0, `${label} must not be negative`)
    .max(100_000_000_00, `${label} must be at most $100,000,000`);
const rate = (min: number, max: number) =>
  z
    .number('Must be a decimal fraction, e.g. 0.3 for 30 %')
    .min(min, `Must be at least ${min} (a decimal fraction, e.g. 0.3 for 30 %)`)
    .max(max, `Must be at most ${max} (a decimal fraction, e.g. 0.3 for 30 %)`);
const unitRate = (label: string, max: number) =>
  z
    .number(`${label} must be a number`)
    .min(0, `${label} must not be negative`)
    .max(max, `${label} must be at most ${max}`)
    .refine(
      (v) => Math.abs(v * 10_000 - Math.round(v * 10_000)) < 1e-6,
      `${label} allows at most 4 decimals`,
    );

// ---------------------------------------------------------------- equipment catalogue

export const EQUIPMENT_KINDS = ['module', 'inverter', 'battery', 'optimizer', 'racking'] as const;
export type EquipmentKind = (typeof EQUIPMENT_KINDS)[number];

const catalogueBase = {
  id: text(64),
  manufacturer: text(100),
  model: text(100),
  /** what the installer pays per unit */
  unitCostCents: cents('Unit cost'),
  /** what the customer is charged per unit when pricing by line item */
  unitPriceCents: cents('Unit price'),
  /** counts toward the federal ITC cost basis (e.g. false for a battery under the size threshold) */
  itcEligible: z.boolean().default(true),
};

export const catalogueItemSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      ...catalogueBase,
      kind: z.literal('module'),
      /** STC nameplate power */
      watts: z
        .number('Watts must be a number')
        .int('Watts must be whole')
        .min(1, 'Watts must be at least 1')
        .max(1500, 'Watts must be at most 1500'),
    }),
    z.object({
      ...catalogueBase,
      kind: z.literal('inverter'),
      /** string: one per array; micro: one per module (or per `modulesPerUnit` modules); hybrid: string + battery */
      inverterType: z.enum(['string', 'micro', 'hybrid'], 'Must be string, micro or hybrid'),
      /** continuous AC output rating */
      acKw: z
        .number('AC kW must be a number')
        .gt(0, 'AC kW must be more than 0')
        .max(1000, 'AC kW must be at most 1000'),
      modulesPerUnit: z.number().int().min(1).max(4).default(1),
    }),
    z.object({
      ...catalogueBase,
      kind: z.literal('battery'),
      /** usable energy */
      kwh: z
        .number('kWh must be a number')
        .gt(0, 'kWh must be more than 0')
        .max(1000, 'kWh must be at most 1000'),
      powerKw: z.number().gt(0, 'Power must be more than 0').max(1000).optional(),
    }),
    z.object({
      ...catalogueBase,
      kind: z.literal('optimizer'),
      watts: z.number().int().min(1).max(2000).optional(),
    }),
    z.object({ ...catalogueBase, kind: z.literal('racking') }),
  ],
  'Kind must be one of module, inverter, battery, optimizer, racking',
);
export type CatalogueItem = z.output<typeof catalogueItemSchema>;

export const catalogueSchema = z
  .array(catalogueItemSchema)
  .max(5000, 'At most 5000 catalogue items')
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id))
        ctx.addIssue({ code: 'custom', path: [i, 'id'], message: 'Duplicate catalogue id' });
      seen.add(item.id);
    });
  });

// ---------------------------------------------------------------- system design

/** PVWatts v8 codes, by position: array_type 0..4 and module_type 0..2. */
export const ARRAY_TYPES = [
  'fixed_open_rack',
  'fixed_roof',
  'one_axis',
  'one_axis_backtracking',
  'two_axis',
] as const;
export const MODULE_TYPES = ['standard', 'premium', 'thin_film'] as const;
export type ArrayType = (typeof ARRAY_TYPES)[number];
export type ModuleType = (typeof MODULE_TYPES)[number];

export const designLineSchema = z.object({
  catalogueItemId: text(64),
  quantity: z
    .number('Quantity must be a number')
    .int('Quantity must be whole')
    .min(1, 'Quantity must be at least 1')
    .max(100_000, 'Quantity must be at most 100000'),
});

export const systemDesignSchema = z.object({
  lines: z
    .array(designLineSchema)
    .min(1, 'A design needs at least one line item')
    .max(200, 'At most 200 line items'),
  /** degrees from horizontal */
  tilt: z
    .number('Tilt must be a number')
    .min(0, 'Tilt must be between 0 and 90 degrees')
    .max(90, 'Tilt must be between 0 and 90 degrees'),
  /** degrees clockwise from north (180 = south), as PVWatts takes it */
  azimuth: z
    .number('Azimuth must be a number')
    .min(0, 'Azimuth must be at least 0 and less than 360 degrees')
    .lt(360, 'Azimuth must be at least 0 and less than 360 degrees'),
  /** total system losses as a decimal (PVWatts default 14 % → 0.14); PVWatts allows -5 % to 99 % */
  lossesRate: rate(-0.05, 0.99).default(0.14),
  arrayType: z.enum(ARRAY_TYPES, `Must be one of ${ARRAY_TYPES.join(', ')}`).default('fixed_roof'),
  moduleType: z.enum(MODULE_TYPES, `Must be one of ${MODULE_TYPES.join(', ')}`).default('standard'),
});
export type SystemDesign = z.output<typeof systemDesignSchema>;

export const siteLocationSchema = z.object({
  lat: z
    .number('Latitude must be a number')
    .min(-90, 'Latitude must be between -90 and 90')
    .max(90, 'Latitude must be between -90 and 90'),
  lon: z
    .number('Longitude must be a number')
    .min(-180, 'Longitude must be between -180 and 180')
    .max(180, 'Longitude must be between -180 and 180'),
});
export type SiteLocation = z.output<typeof siteLocationSchema>;

// ---------------------------------------------------------------- pricing

export const ADDER_CODES = [
  'trenching',
  'main_panel_upgrade',
  'critter_guard',
  'roof_work',
  'ev_charger',
  'ground_mount',
  'other',
] as const;

const adderBase = {
  code: z.enum(ADDER_CODES, `Must be one of ${ADDER_CODES.join(', ')}`),
  label: text(100),
  /** in the ITC cost basis (a panel upgrade needed for the system usually is; a re-roof usually is not) */
  itcEligible: z.boolean().default(true),
};
export const adderSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...adderBase, kind: z.literal('fixed'), amountCents: cents() }),
    z.object({ ...adderBase, kind: z.literal('per_watt'), centsPerWatt: unitRate('Cents per watt', 1000) }),
    /** e.g. trenching per foot */
    z.object({
      ...adderBase,
      kind: z.literal('per_unit'),
      unitPriceCents: cents('Unit price'),
      quantity: z.number().int('Quantity must be whole').min(1, 'Quantity must be at least 1').max(100_000),
    }),
  ],
  'Adder kind must be fixed, per_watt or per_unit',
);
export type Adder = z.output<typeof adderSchema>;

export const discountSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ label: text(100), kind: z.literal('fixed'), amountCents: cents() }),
    z.object({ label: text(100), kind: z.literal('percent'), rate: rate(0, 1) }),
  ],
  'Discount kind must be fixed or percent',
);
export type Discount = z.output<typeof discountSchema>;

export const pricingInputSchema = z.object({
  /** per_watt: kW DC × price per watt; line_items: Σ catalogue unit price × quantity + installation */
  method: z.discriminatedUnion(
    'kind',
    [
      z.object({ kind: z.literal('per_watt'), centsPerWatt: unitRate('Price per watt (cents)', 2000) }),
      z.object({ kind: z.literal('line_items'), installationCents: cents('Installation').default(0) }),
    ],
    'Pricing method must be per_watt or line_items',
  ),
  adders: z.array(adderSchema).max(50, 'At most 50 adders').default([]),
  discounts: z.array(discountSchema).max(20, 'At most 20 discounts').default([]),
  tax: z
    .object({
      rate: rate(0, 0.25),
      /** many states exempt solar (none) or tax materials only (equipment) */
      appliesTo: z.enum(['none', 'equipment', 'total'], 'Must be none, equipment or total'),
    })
    .default({ rate: 0, appliesTo: 'none' }),
});
export type PricingInput = z.output<typeof pricingInputSchema>;

// ---------------------------------------------------------------- incentives

const rebateBase = {
  label: text(100),
  source: z.enum(['state', 'utility', 'local', 'other'], 'Must be state, utility, local or other'),
  capCents: cents('Cap').optional(),
  /** rebates paid for the system generally reduce the federal cost basis; set false only when tax advice says so */
  reducesItcBasis: z.boolean().default(true),
};
export const rebateSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ ...rebateBase, kind: z.literal('fixed'), amountCents: cents() }),
    z.object({ ...rebateBase, kind: z.literal('per_watt'), centsPerWatt: unitRate('Cents per watt', 1000) }),
  ],
  'Rebate kind must be fixed or per_watt',
);
export type Rebate = z.output<typeof rebateSchema>;

export const incentivesInputSchema = z.object({
  /** federal investment tax credit on the eligible basis, e.g. 0.3; 0 when the customer cannot claim one */
  federalItcRate: rate(0, 0.5).default(0),
  rebates: z.array(rebateSchema).max(20, 'At most 20 rebates').default([]),
});
export type IncentivesInput = z.output<typeof incentivesInputSchema>;

// ---------------------------------------------------------------- utility

export const utilityInputSchema = z.object({
  annualUsageKwh: z
    .number('Annual usage must be a number')
    .min(0, 'Annual usage must not be negative')
    .max(100_000_000, 'Annual usage must be at most 100,000,000 kWh'),
  /** average retail energy rate today */
  rateCentsPerKwh: unitRate('Rate (cents per kWh)', 500),
  /** yearly rise of the retail rate */
  annualRateEscalation: rate(-0.1, 0.2).default(0.03),
  /** share of production used on site as it is made (the rest is exported) */
  selfConsumptionRatio: rate(0, 1).default(0.4),
  /** value of an exported kWh against the retail rate: 1 = full net metering, 0.25 = avoided-cost credit */
  exportCreditRatio: rate(0, 1.5).default(1),
  /** credit for yearly production beyond yearly usage (often a low wholesale rate, or nothing) */
  surplusCreditCentsPerKwh: unitRate('Surplus credit (cents per kWh)', 500).default(0),
});
export type UtilityInput = z.output<typeof utilityInputSchema>;

// ---------------------------------------------------------------- financing

const label = text(100);
export const financingOptionSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('cash'), label }),
    z.object({
      kind: z.literal('loan'),
      label,
      apr: rate(0, 0.4),
      termMonths: z
        .number()
        .int('Term must be whole months')
        .min(12, 'Term must be at least 12 months')
        .max(360, 'Term must be at most 360 months'),
      downPaymentCents: cents('Down payment').default(0),
      /** lender's fee as a share of the amount financed; the principal is grossed up so the installer nets the price */
      dealerFeeRate: rate(0, 0.5).default(0),
      /** pay down (by default the ITC) at this month and re-amortise the rest over the remaining term */
      paydown: z
        .object({
          month: z.number().int().min(1, 'Paydown month must be at least 1').max(359).default(18),
          /** defaults to the federal ITC of this proposal */
          amountCents: cents('Paydown').optional(),
        })
        .optional(),
    }),
    z.object({
      kind: z.literal('lease'),
      label,
      monthlyPaymentCents: cents('Monthly payment'),
      annualEscalator: rate(0, 0.1).default(0),
      termYears: z
        .number()
        .int()
        .min(1, 'Term must be at least 1 year')
        .max(30, 'Term must be at most 30 years'),
      upfrontCents: cents('Upfront payment').default(0),
    }),
    z.object({
      kind: z.literal('ppa'),
      label,
      rateCentsPerKwh: unitRate('PPA rate (cents per kWh)', 500),
      annualEscalator: rate(0, 0.1).default(0),
      termYears: z
        .number()
        .int()
        .min(1, 'Term must be at least 1 year')
        .max(30, 'Term must be at most 30 years'),
    }),
  ],
  'Financing kind must be cash, loan, lease or ppa',
);
export type FinancingOption = z.output<typeof financingOptionSchema>;
export type LoanOption = Extract<FinancingOption, { kind: 'loan' }>;

export const financingInputSchema = z
  .array(financingOptionSchema)
  .min(1, 'Offer at least one financing option')
  .max(10, 'At most 10 financing options');

// ---------------------------------------------------------------- analysis and production

export const analysisInputSchema = z
  .object({
    years: z.number().int().min(1).max(40).default(25),
    /** yearly loss of module output; ~0.5 %/yr is the common warranty figure */
    moduleDegradationRate: rate(0, 0.05).default(0.005),
  })
  .default({ years: 25, moduleDegradationRate: 0.005 });
export type AnalysisInput = z.output<typeof analysisInputSchema>;

/** A first-year AC production estimate; `source` says whether it came from PVWatts or the offline model. */
export const productionEstimateSchema = z.object({
  source: z.enum(['pvwatts-v8', 'offline-estimate']),
  acAnnualKwh: z.number().min(0),
  acMonthlyKwh: z.array(z.number().min(0)).length(12, 'Twelve monthly values, January first'),
  capacityFactorPct: z.number().min(0).max(100).nullable(),
  systemCapacityKw: z.number().gt(0),
  assumptions: z.array(z.string()),
  warnings: z.array(z.string()).default([]),
  station: z
    .object({ lat: z.number(), lon: z.number(), city: z.string().nullable(), state: z.string().nullable() })
    .nullable()
    .default(null),
});
export type ProductionEstimate = z.output<typeof productionEstimateSchema>;

export const proposalInputSchema = z.object({
  design: systemDesignSchema,
  catalogue: catalogueSchema,
  pricing: pricingInputSchema,
  incentives: incentivesInputSchema.default({ federalItcRate: 0, rebates: [] }),
  utility: utilityInputSchema,
  financing: financingInputSchema,
  production: productionEstimateSchema,
  analysis: analysisInputSchema,
});
export type ProposalInput = z.input<typeof proposalInputSchema>;
export type ParsedProposalInput = z.output<typeof proposalInputSchema>;
