import { describe, expect, it } from 'vitest';
import { computeProposal } from '@solar/tenant-runtime/modules/proposals/compute-proposal';
import { estimateOffline } from '@solar/tenant-runtime/modules/proposals/offline-estimate';
import { previewProposal, previewRequestSchema } from './engine.js';
import { printableProposal } from './engine.server.js';
import { financingOption, newProposalForm, toProposalInput, type ProposalForm } from './proposal-form.js';
import type { CatalogueEntry } from './proposal-schemas.js';

const catalogue: CatalogueEntry[] = [
  {
    id: 'mod-410',
    kind: 'MODULE',
    manufacturer: 'Qcells',
    model: 'Q.TRON 410',
    unitCost: 180,
    unitPrice: 300,
    itcEligible: true,
    watts: 410,
    acKw: null,
    inverterType: null,
    kwh: null,
    powerKw: null,
  },
  {
    id: 'iq8m',
    kind: 'INVERTER',
    manufacturer: 'Enphase',
    model: 'IQ8M',
    unitCost: 160,
    unitPrice: 240,
    itcEligible: true,
    watts: null,
    acKw: 0.325,
    inverterType: 'micro',
    kwh: null,
    powerKw: null,
  },
];
const PHOENIX = { lat: 33.45, lon: -112.07 };

function form(): ProposalForm {
  const f = newProposalForm({ roofPitchDeg: 22, roofAzimuthDeg: 180, annualUsageKwh: 11_000 });
  f.lines = [
    { catalogueItemId: 'mod-410', quantity: 20 },
    { catalogueItemId: 'iq8m', quantity: 20 },
  ];
  f.pricePerWatt = 3.1;
  f.financing = [financingOption('cash'), { ...financingOption('loan'), aprPct: 6.99, termMonths: 300 }];
  return f;
}

const preview = (draft: Record<string, unknown>, saved: unknown = null) =>
  previewProposal(previewRequestSchema.parse({ draft, catalogue, saved, location: PHOENIX }));

describe('live proposal totals on the web server', () => {
  it('sizes, prices and finances a draft exactly as the runtime engine does', () => {
    const draft = toProposalInput(form());
    const result = preview(draft);
    if (!result.ok) throw new Error(JSON.stringify(result.fields));
    const f = result.figures;
    expect(f.system).toMatchObject({ kwDc: 8.2, kwAc: 6.5, moduleCount: 20 });
    // 8.2 kW × $3.10/W, no adders or tax; 30 % federal credit
    expect(f.price.contractPrice).toBe(25_420);
    expect(f.price.federalTaxCredit).toBe(7_626);
    expect(f.production.source).toBe('offline-estimate');

    // the same inputs through the runtime's own engine, with the same offline production
    const engineCatalogue = [
      { ...catalogue[0], kind: 'module', unitCostCents: 18_000, unitPriceCents: 30_000 },
      { ...catalogue[1], kind: 'inverter', unitCostCents: 16_000, unitPriceCents: 24_000 },
    ].map(({ unitCost: _c, unitPrice: _p, ...rest }) =>
      Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null)),
    );
    const production = estimateOffline({
      systemCapacityKw: 8.2,
      ...PHOENIX,
      tilt: 22,
      azimuth: 180,
      lossesRate: 0.14,
      arrayType: 'fixed_roof',
      moduleType: 'standard',
    });
    const direct = computeProposal({ ...draft, catalogue: engineCatalogue, production });
    const loan = direct.financing[1]!;
    expect(f.financing[1]!.monthlyPayment).toBe(loan.monthlyPaymentCents! / 100);
    expect(f.financing[1]!.monthlyPayment).toBeGreaterThan(100);
    expect(f.financing[0]!.cumulative).toHaveLength(26);
    expect(f.financing[0]!.lifetimeSavings).toBe(direct.financing[0]!.netSavingsCents / 100);
  });

  it('uses the saved production while the design is unchanged, and an estimate once it changes', () => {
    const draft = toProposalInput(form());
    const pvwatts = {
      source: 'pvwatts-v8',
      acAnnualKwh: 14_000,
      acMonthlyKwh: Array(12).fill(14_000 / 12),
      capacityFactorPct: 19.5,
      systemCapacityKw: 8.2,
      assumptions: [],
    };
    const saved = { design: draft['design'], production: pvwatts, catalogue: [] };
    const same = preview(draft, saved);
    expect(same.ok && same.figures.production).toMatchObject({ source: 'pvwatts-v8', annualKwh: 14_000 });
    const tilted = toProposalInput({ ...form(), tilt: 35 });
    const changed = preview(tilted, saved);
    expect(changed.ok && changed.figures.production.source).toBe('offline-estimate');
  });

  it('answers field messages for bad input, at the API input paths', () => {
    const bad = toProposalInput({ ...form(), lines: [{ catalogueItemId: 'mod-410', quantity: 0 }] });
    const result = preview(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.fields['design.lines.0.quantity']).toEqual(['Quantity must be at least 1']);

    const badApr = toProposalInput({ ...form(), financing: [{ ...financingOption('loan'), aprPct: 55 }] });
    const apr = preview(badApr);
    expect(!apr.ok && Object.keys(apr.fields)).toEqual(['financing.0.apr']);
  });

  it('renders the printable document from stored inputs', () => {
    const draft = toProposalInput(form());
    const result = preview(draft);
    expect(result.ok).toBe(true);
    const inputs = {
      ...draft,
      catalogue: [
        {
          id: 'mod-410',
          kind: 'module',
          manufacturer: 'Qcells',
          model: 'Q.TRON 410',
          watts: 410,
          unitCostCents: 18_000,
          unitPriceCents: 30_000,
        },
        {
          id: 'iq8m',
          kind: 'inverter',
          inverterType: 'micro',
          manufacturer: 'Enphase',
          model: 'IQ8M',
          acKw: 0.325,
          unitCostCents: 16_000,
          unitPriceCents: 24_000,
        },
      ],
      production: estimateOffline({
        systemCapacityKw: 8.2,
        ...PHOENIX,
        tilt: 22,
        azimuth: 180,
        lossesRate: 0.14,
        arrayType: 'fixed_roof',
        moduleType: 'standard',
      }),
      location: PHOENIX,
    };
    const html = printableProposal(inputs, {
      company: { name: 'acme' },
      customer: { name: 'Garcia <family>' },
      siteAddress: '1 Sun St, Phoenix',
      proposalNumber: 'ABC12345',
      version: 1,
      issuedOn: new Date('2026-11-01'),
      validUntil: new Date('2026-12-01'),
    });
    expect(html).toContain('Garcia &lt;family&gt;');
    expect(html).toContain('$25,420');
  });
});
