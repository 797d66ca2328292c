import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSalesOrg, U, type SalesOrg, type Who } from '../customers/sales-org.fixture.js';

const FIELDS = `id version status allowedActions frozen supersededByVersion systemKwDc systemKwAc moduleCount
  annualKwh productionSource productionAssumptions warnings analysisYears
  price { gross contractPrice federalTaxCredit netCost }
  financing { kind label amountFinanced apr termMonths monthlyPayment paybackYear lifetimeSavings }`;
const CREATE = `mutation($o: ID!, $i: ProposalInput!) { createProposal(opportunityId: $o, input: $i) { proposal { ${FIELDS} } } }`;
const GET = `query($id: ID!) { proposal(id: $id) { ${FIELDS} opportunity { id } } }`;
const LIST = `query($o: ID!) { proposals(opportunityId: $o) { id version status frozen supersededByVersion } }`;
const act = (name: string) =>
  `mutation($id: ID!) { ${name}(id: $id) { proposal { id status allowedActions frozen } } }`;
const UPDATE = `mutation($id: ID!, $i: ProposalInput!) { updateProposal(id: $id, input: $i) { proposal { id systemKwDc } } }`;
const NEXT = `mutation($id: ID!) { newProposalVersion(id: $id) { proposal { id version status systemKwDc } } }`;

let org: SalesOrg;
const opp = {} as Record<'rep1' | 'rep2', string>;

/** 20 × 410 W modules on IQ8M micros from the seeded catalogue, $3.00/W, 30 % ITC, cash and a 20-year loan. */
const input = (modules = 20) => ({
  design: {
    lines: [
      { catalogueItemId: 'qcells-410', quantity: modules },
      { catalogueItemId: 'enphase-iq8m', quantity: modules },
      { catalogueItemId: 'ironridge-xr10', quantity: modules },
    ],
    tilt: 25,
    azimuth: 180,
  },
  pricing: { method: { kind: 'per_watt', centsPerWatt: 300 } },
  incentives: { federalItcRate: 0.3 },
  utility: { annualUsageKwh: 12_000, rateCentsPerKwh: 18 },
  financing: [
    { kind: 'cash', label: 'Cash' },
    { kind: 'loan', label: '20-year loan', apr: 0.0699, termMonths: 240 },
  ],
});

const newOpp = async (who: 'rep1' | 'rep2', customer = `Nguyễn García ${who}`) => {
  const account = (
    await org.ok(
      who,
      `mutation($input: CreateAccountInput!) { createAccount(input: $input) { account { id sites { id } } } }`,
      {
        input: {
          kind: 'RESIDENTIAL',
          name: customer,
          contacts: [{ firstName: 'Ana', lastName: 'Garcia' }],
          sites: [{ street: '12 Sun St', city: 'Phoenix', latitude: 33.45, longitude: -112.07 }],
        },
      },
    )
  ).createAccount.account;
  return (
    await org.ok(
      who,
      `mutation($input: CreateOpportunityInput!) { createOpportunity(input: $input) { opportunity { id } } }`,
      { input: { name: `Garcia ${who} 8 kW`, accountId: account.id, siteId: account.sites[0].id } },
    )
  ).createOpportunity.opportunity.id as string;
};
const create = async (who: Who, o: string, i: unknown = input()) =>
  (await org.ok(who, CREATE, { o, i })).createProposal.proposal;

beforeAll(async () => {
  org = await startSalesOrg();
  opp.rep1 = await newOpp('rep1');
  opp.rep2 = await newOpp('rep2');
});
afterAll(async () => {
  await org?.close();
});

describe('the equipment catalogue', () => {
  it('starts with a realistic default set of modules, inverters and batteries with cost and price', async () => {
    const items = (
      await org.ok('rep1', '{ equipmentCatalogue { id kind unitCost unitPrice watts acKw kwh } }')
    ).equipmentCatalogue;
    expect(new Set(items.map((i: { kind: string }) => i.kind))).toEqual(
      new Set(['MODULE', 'INVERTER', 'BATTERY', 'RACKING']),
    );
    expect(items.find((i: { id: string }) => i.id === 'qcells-410')).toMatchObject({
      watts: 410,
      unitCost: 180,
      unitPrice: 300,
    });
    const batteries = (await org.ok('rep1', '{ equipmentCatalogue(kind: BATTERY) { kwh } }'))
      .equipmentCatalogue;
    expect(batteries.length).toBeGreaterThan(0);
    expect(batteries.every((b: { kwh: number }) => b.kwh > 0)).toBe(true);
  });
});

describe('a proposal for an opportunity', () => {
  it('is computed on creation, with the production source labelled as an offline estimate', async () => {
    const p = await create('rep1', opp.rep1);
    expect(p).toMatchObject({
      version: 1,
      status: 'DRAFT',
      allowedActions: ['SEND'],
      frozen: false,
      systemKwDc: 8.2,
      systemKwAc: 6.5,
      moduleCount: 20,
      productionSource: 'offline-estimate',
      analysisYears: 25,
      price: { gross: 24_600, contractPrice: 24_600, federalTaxCredit: 7_380, netCost: 17_220 },
    });
    // Phoenix: roughly 1,400–2,000 kWh per kW DC a year
    expect(p.annualKwh / 8.2).toBeGreaterThan(1_400);
    expect(p.annualKwh / 8.2).toBeLessThan(2_000);
    expect(p.productionAssumptions.length).toBeGreaterThan(0);
    expect(p.warnings.join(' ')).toMatch(/offline estimate/i);
    const cash = p.financing.find((f: { kind: string }) => f.kind === 'cash');
    expect(cash.paybackYear).toBeGreaterThan(0);
    expect(cash.lifetimeSavings).toBeGreaterThan(0);
  });

  it('prices the loan at the amortisation formula M = P·r / (1 − (1+r)^−n)', async () => {
    const o = await newOpp('rep1');
    const loan = (await create('rep1', o)).financing.find((f: { kind: string }) => f.kind === 'loan');
    expect(loan.amountFinanced).toBe(24_600);
    const r = 0.0699 / 12;
    const expected = Math.round((2_460_000 * r) / (1 - (1 + r) ** -240)) / 100;
    expect(loan.monthlyPayment).toBe(expected);
    // independently: Python gives 24600 × r / (1 − (1 + r)^−240) = 190.5759… with r = 0.0699 / 12
    expect(loan.monthlyPayment).toBe(190.58);
  });

  it('refuses bad input field by field and writes nothing', async () => {
    const o = await newOpp('rep1');
    const bad = input();
    bad.design.lines[0]!.catalogueItemId = 'no-such-panel';
    const body = await org.gql('rep1', CREATE, { o, i: bad });
    expect(body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.errors[0].extensions.fields)).toContain('input.design.lines.0.catalogueItemId');
    const noLoanTerm = { ...input(), financing: [{ kind: 'loan', label: 'Loan', apr: 0.07 }] };
    const body2 = await org.gql('rep1', CREATE, { o, i: noLoanTerm });
    expect(Object.keys(body2.errors[0].extensions.fields)).toContain('input.financing.0.termMonths');
    expect((await org.ok('rep1', LIST, { o })).proposals).toEqual([]);
  });

  it('goes draft → sent → accepted; a new version supersedes and freezes the old one', async () => {
    const o = await newOpp('rep1');
    const v1 = await create('rep1', o);
    expect(await org.code('rep1', act('acceptProposal'), { id: v1.id })).toBe('CONFLICT');
    const larger = (await org.ok('rep1', UPDATE, { id: v1.id, i: input(24) })).updateProposal.proposal;
    expect(larger.systemKwDc).toBe(9.84);
    const sent = (await org.ok('rep1', act('sendProposal'), { id: v1.id })).sendProposal.proposal;
    expect(sent).toMatchObject({ status: 'SENT', frozen: true });
    expect(sent.allowedActions.sort()).toEqual(['ACCEPT', 'EXPIRE', 'REJECT']);
    expect(await org.code('rep1', UPDATE, { id: v1.id, i: input() })).toBe('CONFLICT');
    expect(await org.code('rep1', CREATE, { o, i: input() })).toBe('CONFLICT');

    const v2 = (await org.ok('rep1', NEXT, { id: v1.id })).newProposalVersion.proposal;
    expect(v2).toMatchObject({ version: 2, status: 'DRAFT', systemKwDc: 9.84 });
    expect(await org.code('rep1', act('acceptProposal'), { id: v1.id })).toBe('CONFLICT');
    expect((await org.ok('rep1', LIST, { o })).proposals).toEqual([
      { id: v2.id, version: 2, status: 'DRAFT', frozen: false, supersededByVersion: null },
      { id: v1.id, version: 1, status: 'SENT', frozen: true, supersededByVersion: 2 },
    ]);

    await org.ok('rep1', act('sendProposal'), { id: v2.id });
    const accepted = (await org.ok('rep1', act('acceptProposal'), { id: v2.id })).acceptProposal.proposal;
    expect(accepted).toMatchObject({ status: 'ACCEPTED', allowedActions: [] });
    expect(await org.code('rep1', act('rejectProposal'), { id: v2.id })).toBe('CONFLICT');
    expect(await org.code('rep1', NEXT, { id: v2.id })).toBe('CONFLICT');
  });

  it('can be rejected once sent', async () => {
    const o = await newOpp('rep1');
    const p = await create('rep1', o);
    await org.ok('rep1', act('sendProposal'), { id: p.id });
    expect((await org.ok('rep1', act('rejectProposal'), { id: p.id })).rejectProposal.proposal.status).toBe(
      'REJECTED',
    );
  });
});

describe('who sees a proposal', () => {
  it('exactly those who see its opportunity: another team’s rep cannot read it by id', async () => {
    const p = await create('rep2', opp.rep2);
    expect((await org.ok('rep1', GET, { id: p.id })).proposal).toBeNull();
    expect((await org.ok('rep1', LIST, { o: opp.rep2 })).proposals).toEqual([]);
    expect(await org.code('rep1', act('sendProposal'), { id: p.id })).toBe('NOT_FOUND');
    expect(await org.code('rep1', CREATE, { o: opp.rep2, i: input() })).toBe('NOT_FOUND');
    // the branch manager sees the team's work; the analyst reads but may not change it
    expect((await org.ok('mgr', GET, { id: p.id })).proposal.opportunity.id).toBe(opp.rep2);
    expect((await org.ok('analyst', GET, { id: p.id })).proposal.id).toBe(p.id);
    expect(await org.code('analyst', act('sendProposal'), { id: p.id })).toBe('FORBIDDEN');
  });
});

describe('the printable proposal', () => {
  it('renders for whoever may see it, and is a 404 for anyone else', async () => {
    const p = (await org.ok('rep2', LIST, { o: opp.rep2 })).proposals[0];
    const get = async (who: Who | null) =>
      fetch(`${org.rt.url}/proposals/${p.id}/print`, {
        headers: who ? { authorization: `Bearer ${await org.rt.tokenFor(org.tenant, { sub: U[who] })}` } : {},
      });
    const ok = await get('rep2');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await ok.text();
    expect(html).toContain('Nguyễn García rep2');
    expect(html).toContain('Offline estimate');
    expect(html).toContain('12 Sun St, Phoenix');
    expect((await get('rep1')).status).toBe(404);
    expect((await get(null)).status).toBe(401);
  });
});

/**
 * The text a PDF viewer would show: every string the content streams draw, decoded through its font's
 * ToUnicode map (pdfkit embeds the fonts as Identity-H: each glyph a 4-hex-digit code, numbered per font).
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const objects = new Map([...raw.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)].map((m) => [m[1]!, m[2]!]));
  const toUnicode = (fontObject: string) => {
    const cmapId = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontObject) ?? '')?.[1];
    const cmap = new Map<number, string>();
    const text = (hex: string) =>
      String.fromCodePoint(...(hex.match(/.{4}/g) ?? []).map((h) => parseInt(h, 16)));
    for (const [, from, , targets] of (objects.get(cmapId ?? '') ?? '').matchAll(
      /<([0-9a-f]+)>\s*<([0-9a-f]+)>\s*\[([^\]]*)\]/g,
    ))
      // a ligature's entry holds its letters, space-separated: <0066 0066 006c> for "ffl"
      [...targets!.matchAll(/<([0-9a-f ]+)>/g)].forEach((t, k) =>
        cmap.set(parseInt(from!, 16) + k, text(t[1]!.replaceAll(' ', ''))),
      );
    return cmap;
  };
  const fonts = new Map(
    [...raw.matchAll(/\/(F\d+) (\d+) 0 R/g)].map(([, name, id]) => [name!, toUnicode(id!)] as const),
  );
  const shown: string[] = [];
  let font = new Map<number, string>();
  for (const op of raw.matchAll(/\/(F\d+) [\d.]+ Tf|\[((?:<[0-9a-f]*>|[-\d.\s])*)\]\s*TJ/g)) {
    if (op[1]) font = fonts.get(op[1]) ?? new Map();
    else
      shown.push(
        [...op[2]!.matchAll(/<([0-9a-f]*)>/g)]
          .flatMap((h) => (h[1]!.match(/.{4}/g) ?? []).map((g) => font.get(parseInt(g, 16)) ?? '\ufffd'))
          .join(''),
      );
  }
  return shown.join('\n');
}

describe('the proposal as PDF', () => {
  it('is a real PDF with the customer, the site and each monthly payment as text; hidden → 404', async () => {
    const p = (await org.ok('rep2', LIST, { o: opp.rep2 })).proposals[0];
    const figures = (await org.ok('rep2', GET, { id: p.id })).proposal;
    const get = async (who: Who) =>
      fetch(`${org.rt.url}/proposals/${p.id}/print.pdf`, {
        headers: { authorization: `Bearer ${await org.rt.tokenFor(org.tenant, { sub: U[who] })}` },
      });
    const res = await get('rep2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfText(pdf);
    expect(text).toContain('Nguyễn García rep2');
    expect(text).toContain('12 Sun St, Phoenix');
    expect(text).toContain('offline estimate');
    const loan = figures.financing.find((f: { kind: string }) => f.kind.toLowerCase() === 'loan');
    const monthly = `$${loan.monthlyPayment.toLocaleString('en-US', { minimumFractionDigits: 2 })}/mo`;
    expect(text).toContain(monthly);
    expect(text).toContain('Net cost after incentives');
    expect((await get('rep1')).status).toBe(404);
  });

  it('prints Chinese, Korean and Japanese names in a CJK font, beside Latin text in DejaVu', async () => {
    const o = await newOpp('rep1', '王小明 Wang · 김민준 · やまだ');
    const p = await create('rep1', o);
    const res = await fetch(`${org.rt.url}/proposals/${p.id}/print.pdf`, {
      headers: { authorization: `Bearer ${await org.rt.tokenFor(org.tenant, { sub: U.rep1 })}` },
    });
    const pdf = Buffer.from(await res.arrayBuffer());
    const text = pdfText(pdf);
    for (const name of ['王小明', 'Wang', '김민준', 'やまだ']) expect(text).toContain(name);
    expect(text).not.toContain('\ufffd');
    // both fonts embedded, each as a subset of the glyphs used
    const fonts = [...pdf.toString('latin1').matchAll(/\/BaseFont \/([A-Z]{6}\+[\w-]+)/g)].map((m) => m[1]);
    expect(fonts.some((f) => f!.includes('DejaVuSans'))).toBe(true);
    expect(fonts.some((f) => f!.includes('WenQuanYi'))).toBe(true);
  });
});

describe('the equipment catalogue', () => {
  const SAVE = `mutation($input: EquipmentItemInput!) { saveEquipmentItem(input: $input) {
    id kind manufacturer model unitCost unitPrice watts active } }`;
  const ACTIVE = `mutation($id: ID!, $active: Boolean!) { setEquipmentItemActive(id: $id, active: $active) { id active } }`;
  const CATALOGUE = `query($all: Boolean) { equipmentCatalogue(kind: MODULE, includeRetired: $all) { id unitPrice active } }`;
  const module = {
    kind: 'MODULE',
    manufacturer: 'REC',
    model: 'Alpha Pure-R 430',
    unitCost: 190,
    unitPrice: 310.5,
    watts: 430,
  };
  const ids = async (all = false) =>
    (await org.ok('admin', CATALOGUE, { all })).equipmentCatalogue.map((i: { id: string }) => i.id);

  it('lets an administrator add an item (its id made from maker and model), offered at once', async () => {
    const item = (await org.ok('admin', SAVE, { input: module })).saveEquipmentItem;
    expect(item).toMatchObject({ id: 'rec-alpha-pure-r-430', unitPrice: 310.5, watts: 430, active: true });
    expect(await ids()).toContain(item.id);
    const audit = await org.tenant.db('audit_log').where({ entity_type: 'equipment', entity_id: item.id });
    expect(audit.map((a: { action: string }) => a.action)).toEqual(['catalogue.item_added']);
  });

  it('refuses an item without its kind’s ratings, field by field, and a second copy of one', async () => {
    const body = await org.gql('admin', SAVE, { input: { ...module, model: 'No watts', watts: null } });
    expect(body.errors[0].extensions.code).toBe('VALIDATION_FAILED');
    expect(Object.keys(body.errors[0].extensions.fields)).toContain('input.watts');
    expect(await ids()).not.toContain('rec-no-watts');
    expect(await org.code('admin', SAVE, { input: module })).toBe('VALIDATION_FAILED');
    expect(await org.code('rep1', SAVE, { input: { ...module, model: 'Rep pick' } })).toBe('FORBIDDEN');
  });

  it('changes a price for new designs only, and a retired item is no longer offered', async () => {
    const o = await newOpp('rep1', 'Catalogue household');
    const before = await create('rep1', o, {
      ...input(),
      design: {
        ...input().design,
        lines: [{ catalogueItemId: 'rec-alpha-pure-r-430', quantity: 10 }, input().design.lines[1]],
      },
    });
    await org.ok('admin', SAVE, { input: { ...module, id: 'rec-alpha-pure-r-430', unitPrice: 350 } });
    await org.ok('admin', ACTIVE, { id: 'rec-alpha-pure-r-430', active: false });
    expect(await ids()).not.toContain('rec-alpha-pure-r-430');
    expect(await ids(true)).toContain('rec-alpha-pure-r-430');
    // the proposal made before keeps its copy and its figures
    const again = (await org.ok('rep1', GET, { id: before.id })).proposal;
    expect(again.price).toEqual(before.price);
    const audit = await org.tenant
      .db('audit_log')
      .where({ entity_type: 'equipment', entity_id: 'rec-alpha-pure-r-430' });
    expect(audit.map((a: { action: string }) => a.action)).toEqual([
      'catalogue.item_added',
      'catalogue.item_changed',
      'catalogue.item_retired',
    ]);
  });
});
