/**
 * The proposal builder's form: the figures a rep types (dollars, percent, $/W) and the API's ProposalInput
 * (cents, decimal fractions, ¢/W). Field keys are the API's input paths (`pricing.method.centsPerWatt`,
 * `financing.1.apr`), so a validation message from the API or the preview lands beside its field.
 */
export const ADDER_CODES = [
  'trenching',
  'main_panel_upgrade',
  'critter_guard',
  'roof_work',
  'ev_charger',
  'ground_mount',
  'other',
] as const;
export type AdderCode = (typeof ADDER_CODES)[number];
export const REBATE_SOURCES = ['state', 'utility', 'local', 'other'] as const;
export const FINANCING_KINDS = ['cash', 'loan', 'lease', 'ppa'] as const;
export type FinancingKind = (typeof FINANCING_KINDS)[number];

export interface LineForm {
  catalogueItemId: string;
  quantity: number;
}
export const ADDER_KINDS = ['fixed', 'per_watt', 'per_unit'] as const;
export interface AdderForm {
  code: AdderCode;
  label: string;
  kind: (typeof ADDER_KINDS)[number];
  /** fixed: dollars; per_watt: dollars per DC watt; per_unit: dollars a unit */
  amount: number;
  /** per_unit only (feet of trench, chargers…) */
  quantity: number;
  /** in the federal tax credit's cost basis */
  itcEligible: boolean;
}
export interface DiscountForm {
  label: string;
  kind: 'fixed' | 'percent';
  /** dollars (fixed) or percent */
  value: number;
}
export interface RebateForm {
  label: string;
  source: (typeof REBATE_SOURCES)[number];
  kind: 'fixed' | 'per_watt';
  /** fixed: dollars; per_watt: dollars per DC watt */
  amount: number;
  /** dollars; null: no cap */
  cap: number | null;
  /** paid for the system, so it lowers the federal tax credit's basis */
  reducesItcBasis: boolean;
}

export function newAdder(): AdderForm {
  return {
    code: 'main_panel_upgrade',
    label: 'Main panel upgrade',
    kind: 'fixed',
    amount: 0,
    quantity: 1,
    itcEligible: true,
  };
}

export function newRebate(): RebateForm {
  return {
    label: 'Utility rebate',
    source: 'utility',
    kind: 'fixed',
    amount: 0,
    cap: null,
    reducesItcBasis: true,
  };
}
/** One financing option; only the fields of its kind are sent. */
export interface FinancingForm {
  kind: FinancingKind;
  label: string;
  aprPct: number;
  termMonths: number;
  downPayment: number;
  dealerFeePct: number;
  monthlyPayment: number;
  termYears: number;
  escalatorPct: number;
  ppaCentsPerKwh: number;
}

export interface ProposalForm {
  lines: LineForm[];
  tilt: number;
  azimuth: number;
  lossesPct: number;
  pricingMethod: 'per_watt' | 'line_items';
  /** dollars per DC watt */
  pricePerWatt: number;
  /** dollars, line-item pricing only */
  installation: number;
  adders: AdderForm[];
  discounts: DiscountForm[];
  taxPct: number;
  taxAppliesTo: 'none' | 'equipment' | 'total';
  itcPct: number;
  rebates: RebateForm[];
  annualUsageKwh: number;
  rateCentsPerKwh: number;
  escalationPct: number;
  financing: FinancingForm[];
}

const cents = (dollars: number) => Math.round(dollars * 100);
/** 6.99 → 0.0699, without float dust the API's 4-decimal checks would trip on */
const fraction = (pct: number) => Math.round(pct * 10_000) / 1_000_000;
const percent = (rate: number) => Math.round(rate * 1_000_000) / 10_000;
const fourDecimals = (v: number) => Math.round(v * 10_000) / 10_000;

export function financingOption(kind: FinancingKind): FinancingForm {
  const labels: Record<FinancingKind, string> = {
    cash: 'Cash',
    loan: 'Solar loan',
    lease: 'Lease',
    ppa: 'Power purchase agreement',
  };
  return {
    kind,
    label: labels[kind],
    aprPct: 6.99,
    termMonths: 300,
    downPayment: 0,
    dealerFeePct: 0,
    monthlyPayment: 120,
    termYears: 20,
    escalatorPct: kind === 'ppa' ? 2.9 : 0,
    ppaCentsPerKwh: 12,
  };
}

/** What the site tells us before anyone types: roof angle and direction, yearly usage. */
export interface SiteHints {
  roofPitchDeg: number | null;
  roofAzimuthDeg: number | null;
  annualUsageKwh: number | null;
}

/** Where the builder estimates production: a site's coordinates, or null while it has none. */
export function siteLocation(
  site: { latitude: number | null; longitude: number | null } | null | undefined,
): { lat: number; lon: number } | null {
  return site?.latitude != null && site.longitude != null
    ? { lat: site.latitude, lon: site.longitude }
    : null;
}

export function newProposalForm(site: SiteHints | null): ProposalForm {
  return {
    lines: [],
    tilt: site?.roofPitchDeg ?? 20,
    azimuth: site?.roofAzimuthDeg ?? 180,
    lossesPct: 14,
    pricingMethod: 'per_watt',
    pricePerWatt: 3,
    installation: 0,
    adders: [],
    discounts: [],
    taxPct: 0,
    taxAppliesTo: 'none',
    itcPct: 30,
    rebates: [],
    annualUsageKwh: site?.annualUsageKwh ?? 10_000,
    rateCentsPerKwh: 16,
    escalationPct: 3,
    financing: [financingOption('cash')],
  };
}

/** The API's ProposalInput for the form (what createProposal/updateProposal take). */
export function toProposalInput(form: ProposalForm): Record<string, unknown> {
  return {
    design: {
      lines: form.lines.map((l) => ({ catalogueItemId: l.catalogueItemId, quantity: l.quantity })),
      tilt: form.tilt,
      azimuth: form.azimuth,
      lossesRate: fraction(form.lossesPct),
    },
    pricing: {
      method:
        form.pricingMethod === 'per_watt'
          ? { kind: 'per_watt', centsPerWatt: fourDecimals(form.pricePerWatt * 100) }
          : { kind: 'line_items', installationCents: cents(form.installation) },
      adders: form.adders.map(adderInput),
      discounts: form.discounts.map((d) =>
        d.kind === 'fixed'
          ? { label: d.label, kind: 'fixed', amountCents: cents(d.value) }
          : { label: d.label, kind: 'percent', rate: fraction(d.value) },
      ),
      tax: { rate: fraction(form.taxPct), appliesTo: form.taxAppliesTo },
    },
    incentives: {
      federalItcRate: fraction(form.itcPct),
      rebates: form.rebates.map(rebateInput),
    },
    utility: {
      annualUsageKwh: form.annualUsageKwh,
      rateCentsPerKwh: fourDecimals(form.rateCentsPerKwh),
      annualRateEscalation: fraction(form.escalationPct),
    },
    financing: form.financing.map(financingInput),
  };
}

function adderInput(a: AdderForm): Record<string, unknown> {
  const base = { code: a.code, label: a.label, itcEligible: a.itcEligible };
  switch (a.kind) {
    case 'fixed':
      return { ...base, kind: 'fixed', amountCents: cents(a.amount) };
    case 'per_watt':
      return { ...base, kind: 'per_watt', centsPerWatt: fourDecimals(a.amount * 100) };
    case 'per_unit':
      return { ...base, kind: 'per_unit', unitPriceCents: cents(a.amount), quantity: a.quantity };
  }
}

function rebateInput(r: RebateForm): Record<string, unknown> {
  return {
    label: r.label,
    source: r.source,
    reducesItcBasis: r.reducesItcBasis,
    ...(r.cap === null ? {} : { capCents: cents(r.cap) }),
    ...(r.kind === 'fixed'
      ? { kind: 'fixed', amountCents: cents(r.amount) }
      : { kind: 'per_watt', centsPerWatt: fourDecimals(r.amount * 100) }),
  };
}

function financingInput(f: FinancingForm): Record<string, unknown> {
  switch (f.kind) {
    case 'cash':
      return { kind: 'cash', label: f.label };
    case 'loan':
      return {
        kind: 'loan',
        label: f.label,
        apr: fraction(f.aprPct),
        termMonths: f.termMonths,
        downPaymentCents: cents(f.downPayment),
        dealerFeeRate: fraction(f.dealerFeePct),
      };
    case 'lease':
      return {
        kind: 'lease',
        label: f.label,
        monthlyPaymentCents: cents(f.monthlyPayment),
        annualEscalator: fraction(f.escalatorPct),
        termYears: f.termYears,
      };
    case 'ppa':
      return {
        kind: 'ppa',
        label: f.label,
        rateCentsPerKwh: fourDecimals(f.ppaCentsPerKwh),
        annualEscalator: fraction(f.escalatorPct),
        termYears: f.termYears,
      };
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const arr = (v: unknown): Json[] => (Array.isArray(v) ? v.map(obj) : []);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
const str = (v: unknown, fallback: string): string => (typeof v === 'string' ? v : fallback);

/**
 * The form for a stored version (its `inputs` as the API answers them). Every adder and rebate kind the API
 * takes has a field here, so saving from the builder keeps what an integration wrote.
 */
export function formFromInputs(inputs: unknown): ProposalForm {
  const input = obj(inputs);
  const design = obj(input['design']);
  const pricing = obj(input['pricing']);
  const method = obj(pricing['method']);
  const tax = obj(pricing['tax']);
  const incentives = obj(input['incentives']);
  const utility = obj(input['utility']);
  const base = newProposalForm(null);
  return {
    lines: arr(design['lines']).map((l) => ({
      catalogueItemId: str(l['catalogueItemId'], ''),
      quantity: num(l['quantity'], 1),
    })),
    tilt: num(design['tilt'], base.tilt),
    azimuth: num(design['azimuth'], base.azimuth),
    lossesPct: percent(num(design['lossesRate'], 0.14)),
    pricingMethod: method['kind'] === 'line_items' ? 'line_items' : 'per_watt',
    pricePerWatt: num(method['centsPerWatt'], base.pricePerWatt * 100) / 100,
    installation: num(method['installationCents'], 0) / 100,
    adders: arr(pricing['adders']).map((a) => {
      const kind = (ADDER_KINDS as readonly string[]).includes(str(a['kind'], ''))
        ? (a['kind'] as AdderForm['kind'])
        : 'fixed';
      return {
        code: (ADDER_CODES as readonly string[]).includes(str(a['code'], ''))
          ? (a['code'] as AdderCode)
          : 'other',
        label: str(a['label'], ''),
        kind,
        amount:
          kind === 'per_watt'
            ? num(a['centsPerWatt'], 0) / 100
            : num(kind === 'per_unit' ? a['unitPriceCents'] : a['amountCents'], 0) / 100,
        quantity: num(a['quantity'], 1),
        itcEligible: a['itcEligible'] !== false,
      };
    }),
    discounts: arr(pricing['discounts']).map((d) =>
      d['kind'] === 'percent'
        ? { label: str(d['label'], ''), kind: 'percent' as const, value: percent(num(d['rate'], 0)) }
        : { label: str(d['label'], ''), kind: 'fixed' as const, value: num(d['amountCents'], 0) / 100 },
    ),
    taxPct: percent(num(tax['rate'], 0)),
    taxAppliesTo:
      tax['appliesTo'] === 'equipment' || tax['appliesTo'] === 'total' ? tax['appliesTo'] : 'none',
    itcPct: percent(num(incentives['federalItcRate'], 0)),
    rebates: arr(incentives['rebates']).map((r) => ({
      label: str(r['label'], ''),
      source: (REBATE_SOURCES as readonly string[]).includes(str(r['source'], ''))
        ? (r['source'] as RebateForm['source'])
        : 'other',
      kind: r['kind'] === 'per_watt' ? ('per_watt' as const) : ('fixed' as const),
      amount: (r['kind'] === 'per_watt' ? num(r['centsPerWatt'], 0) : num(r['amountCents'], 0)) / 100,
      cap: typeof r['capCents'] === 'number' ? r['capCents'] / 100 : null,
      reducesItcBasis: r['reducesItcBasis'] !== false,
    })),
    annualUsageKwh: num(utility['annualUsageKwh'], base.annualUsageKwh),
    rateCentsPerKwh: num(utility['rateCentsPerKwh'], base.rateCentsPerKwh),
    escalationPct: percent(num(utility['annualRateEscalation'], 0.03)),
    financing: arr(input['financing']).map((f) => {
      const kind = (FINANCING_KINDS as readonly string[]).includes(str(f['kind'], ''))
        ? (f['kind'] as FinancingKind)
        : 'cash';
      const option = financingOption(kind);
      return {
        ...option,
        label: str(f['label'], option.label),
        aprPct: percent(num(f['apr'], fraction(option.aprPct))),
        termMonths: num(f['termMonths'], option.termMonths),
        downPayment: num(f['downPaymentCents'], 0) / 100,
        dealerFeePct: percent(num(f['dealerFeeRate'], 0)),
        monthlyPayment: num(f['monthlyPaymentCents'], cents(option.monthlyPayment)) / 100,
        termYears: num(f['termYears'], option.termYears),
        escalatorPct: percent(num(f['annualEscalator'], fraction(option.escalatorPct))),
        ppaCentsPerKwh: num(f['rateCentsPerKwh'], option.ppaCentsPerKwh),
      };
    }),
  };
}

/** Messages whose field the builder does not show, to list above the form ("Pricing › tax: …"). */
export function unplacedMessages(fields: Record<string, string>, shown: ReadonlySet<string>): string[] {
  return Object.entries(fields)
    .filter(([path]) => !shown.has(path))
    .map(([path, message]) => `${path.replaceAll('.', ' › ')}: ${message}`);
}

/** Every input path the builder shows a field for; messages about any other path are listed above it. */
export function shownPaths(form: ProposalForm): Set<string> {
  const paths = [
    'design.lines',
    'design.tilt',
    'design.azimuth',
    'design.lossesRate',
    'pricing.method.centsPerWatt',
    'pricing.method.installationCents',
    'pricing.tax.rate',
    'incentives.federalItcRate',
    'utility.annualUsageKwh',
    'utility.rateCentsPerKwh',
    'utility.annualRateEscalation',
    'financing',
  ];
  form.lines.forEach((_, i) => paths.push(`design.lines.${i}.quantity`, `design.lines.${i}.catalogueItemId`));
  form.adders.forEach((_, i) =>
    paths.push(
      ...['label', 'amountCents', 'centsPerWatt', 'unitPriceCents', 'quantity'].map(
        (f) => `pricing.adders.${i}.${f}`,
      ),
    ),
  );
  form.discounts.forEach((_, i) =>
    paths.push(
      `pricing.discounts.${i}.label`,
      `pricing.discounts.${i}.amountCents`,
      `pricing.discounts.${i}.rate`,
    ),
  );
  form.rebates.forEach((_, i) =>
    paths.push(
      ...['label', 'amountCents', 'centsPerWatt', 'capCents'].map((f) => `incentives.rebates.${i}.${f}`),
    ),
  );
  form.financing.forEach((_, i) =>
    paths.push(
      ...[
        'label',
        'apr',
        'termMonths',
        'downPaymentCents',
        'dealerFeeRate',
        'monthlyPaymentCents',
        'termYears',
        'annualEscalator',
        'rateCentsPerKwh',
      ].map((f) => `financing.${i}.${f}`),
    ),
  );
  return new Set(paths);
}
