import { ValidationFailed } from '@solar/common/errors';
import { z } from 'zod';
import type { ComputedProposal } from './compute-proposal.js';
import type { FinancingResult } from './financing.js';
import { formatUsd } from './money.js';

const line = (max: number) => z.string().trim().min(1, 'Required').max(max, `At most ${max} characters`);
const optional = (max: number) => z.string().trim().max(max, `At most ${max} characters`).optional();

/** Who, where and when: the parts of a printed proposal that are not figures. */
export const proposalDocumentMetaSchema = z.object({
  company: z.object({
    name: line(200),
    address: optional(300),
    phone: optional(40),
    email: optional(254),
    website: optional(200),
    licenseNumber: optional(60),
  }),
  customer: z.object({ name: line(200), email: optional(254), phone: optional(40) }),
  siteAddress: line(300),
  proposalNumber: line(40),
  version: z.number().int().min(1),
  preparedBy: z.object({ name: line(200), email: optional(254), phone: optional(40) }).optional(),
  issuedOn: z.coerce.date('Must be a date'),
  validUntil: z.coerce.date('Must be a date'),
  paper: z.enum(['letter', 'a4'], 'Must be letter or a4').default('letter'),
  terms: optional(5000),
});
export type ProposalDocumentMeta = z.input<typeof proposalDocumentMetaSchema>;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Every value from a user or the catalogue goes through here before it meets the markup. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
const e = escapeHtml;

export const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const COLORS = ['#1f6feb', '#d97706', '#059669', '#9333ea', '#dc2626', '#0891b2'];
export const KIND_NAMES: Record<FinancingResult['kind'], string> = {
  cash: 'Cash',
  loan: 'Loan',
  lease: 'Lease',
  ppa: 'PPA',
};

export const fmtDate = (d: Date) =>
  d.toLocaleDateString('en-US', { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' });
export const fmtKwh = (v: number) => `${Math.round(v).toLocaleString('en-US')} kWh`;
export const fmtPct = (v: number) => `${Math.round(v * 10_000) / 100} %`;

/**
 * A self-contained printable proposal (no external assets, no scripts): company header, customer and site,
 * the system, production by month, the price from gross to net, each financing option with its monthly
 * payment, payback and savings, a cumulative-savings chart as inline SVG, validity and a signature block.
 * Print CSS sets the page size (Letter or A4) and keeps sections from splitting across pages.
 */
export function renderProposalHtml(proposal: ComputedProposal, rawMeta: ProposalDocumentMeta): string {
  const parsed = proposalDocumentMetaSchema.safeParse(rawMeta);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['meta']);
  const meta = parsed.data;
  const { system, production, pricing: p } = proposal;
  const company = meta.company;
  const contact = [company.address, company.phone, company.email, company.website]
    .filter(Boolean)
    .map(e)
    .join(' · ');
  const title = `Solar proposal ${meta.proposalNumber} v${meta.version} for ${meta.customer.name}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(title)}</title>
<style>
  @page { size: ${meta.paper === 'a4' ? 'A4' : 'letter'}; margin: 16mm 14mm; }
  * { box-sizing: border-box; }
  body { font: 10.5pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1c2430; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
  header { display: flex; justify-content: space-between; align-items: flex-end; border-bottom: 3px solid #f5a524; padding-bottom: 6px; }
  header h1 { font-size: 18pt; margin: 0; }
  h2 { font-size: 12.5pt; margin: 18px 0 6px; border-bottom: 1px solid #d0d7de; padding-bottom: 2px; }
  table { width: 100%; border-collapse: collapse; }
  th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid #eaeef2; vertical-align: top; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.total td { font-weight: 700; border-top: 2px solid #1c2430; }
  .muted { color: #57606a; font-size: 9pt; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
  .badge { display: inline-block; padding: 1px 6px; border-radius: 4px; font-size: 8.5pt; background: #fff4d6; border: 1px solid #f5a524; }
  .options { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 8px; }
  .option { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px; }
  .option h3 { margin: 0 0 4px; font-size: 11pt; }
  .option .big { font-size: 14pt; font-weight: 700; }
  .signature { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; margin-top: 28px; }
  .signature div { border-top: 1px solid #1c2430; padding-top: 4px; min-height: 48px; }
  section { break-inside: avoid; page-break-inside: avoid; }
  svg { width: 100%; height: auto; }
  @media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
</style>
</head>
<body>
<header>
  <div><h1>${e(company.name)}</h1><div class="muted">${contact}${company.licenseNumber ? ` · License ${e(company.licenseNumber)}` : ''}</div></div>
  <div class="muted" style="text-align:right">Proposal ${e(meta.proposalNumber)} · version ${meta.version}<br>Issued ${e(fmtDate(meta.issuedOn))}<br><strong>Valid until ${e(fmtDate(meta.validUntil))}</strong></div>
</header>

<section class="grid">
  <div><h2>Prepared for</h2>${e(meta.customer.name)}<br>${[meta.customer.email, meta.customer.phone].filter(Boolean).map(e).join('<br>')}</div>
  <div><h2>Installation site</h2>${e(meta.siteAddress)}${meta.preparedBy ? `<br><span class="muted">Prepared by ${e(meta.preparedBy.name)}${meta.preparedBy.email ? `, ${e(meta.preparedBy.email)}` : ''}${meta.preparedBy.phone ? `, ${e(meta.preparedBy.phone)}` : ''}</span>` : ''}</div>
</section>

<section>
  <h2>Your system</h2>
  <p><strong>${system.kwDc} kW DC</strong> / ${system.kwAc} kW AC (DC/AC ${system.dcAcRatio}) · ${system.moduleCount} modules${system.batteryKwh > 0 ? ` · ${system.batteryKwh} kWh battery storage` : ''} · tilt ${proposal.design.tilt}°, azimuth ${proposal.design.azimuth}°</p>
  <table>
    <thead><tr><th>Equipment</th><th>Manufacturer</th><th>Model</th><th class="num">Rating</th><th class="num">Qty</th></tr></thead>
    <tbody>${system.lines
      .map(
        (l) =>
          `<tr><td>${e(l.kind)}</td><td>${e(l.manufacturer)}</td><td>${e(l.model)}</td><td class="num">${e(l.rating ?? '')}</td><td class="num">${l.quantity}</td></tr>`,
      )
      .join('')}</tbody>
  </table>
</section>

<section>
  <h2>Estimated production <span class="badge">${production.source === 'pvwatts-v8' ? 'NREL PVWatts v8' : 'Offline estimate'}</span></h2>
  <p><strong>${fmtKwh(production.acAnnualKwh)}</strong> in the first year (${production.specificYieldKwhPerKw} kWh per kW)${production.usageOffsetRatio !== null ? `, about ${Math.round(production.usageOffsetRatio * 100)} % of your ${fmtKwh(proposal.utility.annualUsageKwh)} yearly use` : ''}.</p>
  ${monthlyChart(production.acMonthlyKwh)}
  <table><thead><tr>${MONTHS.map((m) => `<th class="num">${m}</th>`).join('')}</tr></thead>
  <tbody><tr>${production.acMonthlyKwh.map((v) => `<td class="num">${Math.round(v).toLocaleString('en-US')}</td>`).join('')}</tr></tbody></table>
  <ul class="muted">${production.assumptions.map((a) => `<li>${e(a)}</li>`).join('')}</ul>
</section>

<section>
  <h2>Price</h2>
  <table><tbody>
    <tr><td>System (${system.kwDc} kW DC)</td><td class="num">${formatUsd(p.systemPriceCents)}</td></tr>
    ${p.adders.map((a) => `<tr><td>${e(a.label)}</td><td class="num">${formatUsd(a.amountCents)}</td></tr>`).join('')}
    <tr><td><strong>Gross price</strong> (${(p.grossCentsPerWatt / 100).toFixed(2)} $/W)</td><td class="num">${formatUsd(p.grossCents)}</td></tr>
    ${p.discounts.map((d) => `<tr><td>${e(d.label)}</td><td class="num">−${formatUsd(d.amountCents)}</td></tr>`).join('')}
    ${p.taxCents > 0 ? `<tr><td>Sales tax (${fmtPct(p.taxRate)})</td><td class="num">${formatUsd(p.taxCents)}</td></tr>` : ''}
    <tr class="total"><td>Contract price</td><td class="num">${formatUsd(p.contractPriceCents)}</td></tr>
    ${p.rebates.map((r) => `<tr><td>${e(r.label)} (${e(r.source)} rebate${r.capped ? ', capped' : ''})</td><td class="num">−${formatUsd(r.amountCents)}</td></tr>`).join('')}
    ${p.itcCents > 0 ? `<tr><td>Federal tax credit (${fmtPct(p.itcRate)} of ${formatUsd(p.itcBasisCents)})<sup>*</sup></td><td class="num">−${formatUsd(p.itcCents)}</td></tr>` : ''}
    <tr class="total"><td>Net cost after incentives (${(p.netCentsPerWatt / 100).toFixed(2)} $/W)</td><td class="num">${formatUsd(p.netCostCents)}</td></tr>
  </tbody></table>
  ${p.itcCents > 0 ? '<p class="muted">* Tax credits depend on your tax liability and eligibility; consult a tax professional.</p>' : ''}
</section>

<section>
  <h2>Ways to pay</h2>
  <div class="options">${proposal.financing.map((f, i) => optionCard(f, i, proposal.analysis.years)).join('')}</div>
</section>

<section>
  <h2>Cumulative savings over ${proposal.analysis.years} years</h2>
  ${savingsChart(proposal.financing)}
  <p class="muted">Utility rate ${proposal.utility.rateCentsPerKwh} ¢/kWh rising ${fmtPct(proposal.utility.annualRateEscalation)} a year; module output falling ${fmtPct(proposal.analysis.moduleDegradationRate)} a year. Savings are estimates, not guarantees.</p>
</section>

${proposal.warnings.length > 0 ? `<section><h2>Notes</h2><ul class="muted">${proposal.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></section>` : ''}
${meta.terms ? `<section><h2>Terms</h2><p class="muted">${e(meta.terms).replace(/\n/g, '<br>')}</p></section>` : ''}

<section>
  <h2>Acceptance</h2>
  <p>This proposal is valid until <strong>${e(fmtDate(meta.validUntil))}</strong>. Signing below accepts version ${meta.version} and the option chosen.</p>
  <p>Chosen option: ${proposal.financing.map((f) => `☐ ${e(f.label)}`).join('&nbsp;&nbsp; ')}</p>
  <div class="signature">
    <div>Customer: ${e(meta.customer.name)}<br><span class="muted">Signature and date</span></div>
    <div>For ${e(company.name)}${meta.preparedBy ? `: ${e(meta.preparedBy.name)}` : ''}<br><span class="muted">Signature and date</span></div>
  </div>
</section>
</body>
</html>
`;
}

/** When an option pays for itself, in words. */
export const paybackText = (f: FinancingResult, years: number) =>
  f.paybackYear === null
    ? `not within ${years} years`
    : f.paybackYear === 0
      ? 'from day one'
      : `${f.paybackYears} years`;

/** What an option's headline payment means. */
export const paymentCaption = (f: FinancingResult) =>
  f.kind === 'ppa'
    ? 'average first-year bill'
    : f.kind === 'lease'
      ? 'first-year payment'
      : `${f.termMonths} months at ${fmtPct(f.apr ?? 0)} APR`;

function optionCard(f: FinancingResult, i: number, years: number): string {
  const color = COLORS[i % COLORS.length];
  const monthly =
    f.monthlyPaymentCents === null
      ? `<div class="big">${formatUsd(f.upfrontCents)}</div><div class="muted">paid at signing</div>`
      : `<div class="big">${formatUsd(f.monthlyPaymentCents)}/mo</div><div class="muted">${paymentCaption(f)}</div>`;
  const paydown =
    f.paydown && f.monthlyPaymentAfterPaydownCents !== null
      ? `<div class="muted">${formatUsd(f.monthlyPaymentAfterPaydownCents)}/mo after paying ${formatUsd(f.paydown.amountCents)} in month ${f.paydown.month}</div>`
      : '';
  const payback = paybackText(f, years);
  return `<div class="option" style="border-top:4px solid ${color}">
    <h3>${e(f.label)}${f.label.toLowerCase().includes(KIND_NAMES[f.kind].toLowerCase()) ? '' : ` <span class="muted">${KIND_NAMES[f.kind]}</span>`}</h3>
    ${monthly}${paydown}
    <table><tbody>
      ${f.upfrontCents > 0 && f.monthlyPaymentCents !== null ? `<tr><td>Upfront</td><td class="num">${formatUsd(f.upfrontCents)}</td></tr>` : ''}
      <tr><td>Payback</td><td class="num">${payback}</td></tr>
      <tr><td>${years}-year savings</td><td class="num"><strong>${formatUsd(f.netSavingsCents)}</strong></td></tr>
    </tbody></table>
  </div>`;
}

/** Bar chart of monthly kWh, as inline SVG. */
function monthlyChart(values: readonly number[]): string {
  const w = 600;
  const h = 140;
  const max = Math.max(1, ...values);
  const bw = w / 12;
  const bars = values
    .map((v, i) => {
      const bh = (v / max) * (h - 24);
      const x = i * bw + 6;
      return `<rect x="${x.toFixed(1)}" y="${(h - 16 - bh).toFixed(1)}" width="${(bw - 12).toFixed(1)}" height="${bh.toFixed(1)}" fill="#f5a524"/><text x="${(x + (bw - 12) / 2).toFixed(1)}" y="${h - 3}" font-size="10" text-anchor="middle" fill="#57606a">${MONTHS[i]}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Estimated production by month">${bars}</svg>`;
}

/** One line per financing option: cumulative cash flow by year, with a zero line. */
export function savingsChart(options: readonly FinancingResult[]): string {
  const w = 640;
  const h = 260;
  const pad = { l: 70, r: 12, t: 12, b: 28 };
  const all = options.flatMap((o) => o.years.map((y) => y.cumulativeCents));
  const min = Math.min(0, ...all);
  const max = Math.max(0, ...all, 1);
  const years = Math.max(1, ...options.map((o) => o.years.length - 1));
  const x = (year: number) => pad.l + (year / years) * (w - pad.l - pad.r);
  const y = (cents: number) => pad.t + ((max - cents) / (max - min)) * (h - pad.t - pad.b);
  const ticks = [min, min + (max - min) / 3, min + (2 * (max - min)) / 3, max];
  const grid = ticks
    .map(
      (t) =>
        `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#eaeef2"/><text x="${pad.l - 6}" y="${(y(t) + 3).toFixed(1)}" font-size="10" text-anchor="end" fill="#57606a">${formatUsd(Math.round(t / 100) * 100).replace(/\.00$/, '')}</text>`,
    )
    .join('');
  const xTicks = Array.from({ length: Math.floor(years / 5) + 1 }, (_, i) => i * 5)
    .map(
      (yr) =>
        `<text x="${x(yr).toFixed(1)}" y="${h - 10}" font-size="10" text-anchor="middle" fill="#57606a">${yr}</text>`,
    )
    .join('');
  const lines = options
    .map((o, i) => {
      const points = o.years
        .map((yr) => `${x(yr.year).toFixed(1)},${y(yr.cumulativeCents).toFixed(1)}`)
        .join(' ');
      return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${points}"><title>${e(o.label)}</title></polyline>`;
    })
    .join('');
  const legend = options
    .map(
      (o, i) =>
        `<rect x="${pad.l + 8 + i * 130}" y="${pad.t + 2}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${pad.l + 22 + i * 130}" y="${pad.t + 11}" font-size="10">${e(o.label.slice(0, 18))}</text>`,
    )
    .join('');
  return `<svg viewBox="0 0 ${w} ${h}" role="img" aria-label="Cumulative savings by year for each way to pay">${grid}<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(0).toFixed(1)}" y2="${y(0).toFixed(1)}" stroke="#1c2430" stroke-width="1"/>${xTicks}${lines}${legend}</svg>`;
}
