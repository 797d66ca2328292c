import { ValidationFailed } from '@solar/common';
import PDFDocument from 'pdfkit';
import type { ComputedProposal } from './compute-proposal.js';
import { formatUsd } from './money.js';
import { proposalFonts } from './proposal-fonts.js';
import {
  fmtDate,
  fmtKwh,
  fmtPct,
  KIND_NAMES,
  MONTHS,
  paybackText,
  paymentCaption,
  proposalDocumentMetaSchema,
  type ProposalDocumentMeta,
} from './proposal-document.js';

const INK = '#1c2430';
const MUTED = '#57606a';
const ACCENT = '#f5a524';
const MARGIN = 48;

/**
 * The printable proposal as a PDF (pdfkit, pure JS): the same document model and sections as the HTML
 * (proposal-document.ts) — company, customer and site, system, production, price from gross to net, each
 * way to pay with its monthly payment, payback and savings, notes, terms and the acceptance block. Text is
 * real text (searchable, copyable), in DejaVu Sans, with a CJK font for what DejaVu lacks (proposal-fonts.ts).
 */
export async function renderProposalPdf(
  proposal: ComputedProposal,
  rawMeta: ProposalDocumentMeta,
): Promise<Buffer> {
  const parsed = proposalDocumentMetaSchema.safeParse(rawMeta);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['meta']);
  const meta = parsed.data;
  const { system, production, pricing: p } = proposal;
  const title = `Solar proposal ${meta.proposalNumber} v${meta.version} for ${meta.customer.name}`;

  const doc = new PDFDocument({
    size: meta.paper === 'a4' ? 'A4' : 'LETTER',
    margin: MARGIN,
    info: { Title: title, Author: meta.company.name, Subject: 'Solar proposal' },
    // uncompressed content streams: a few KB more, and the text stays greppable for support and tests
    compress: false,
  });
  const fonts = proposalFonts();
  doc.registerFont('Body', fonts.body);
  doc.registerFont('Bold', fonts.bold);
  if (fonts.fallback) doc.registerFont('Fallback', fonts.fallback.data, fonts.fallback.face);
  doc.font('Body');
  let face: 'Body' | 'Bold' = 'Body';
  /** Sets the text face (DejaVu regular or bold; `write` switches to the fallback where needed). */
  const use = (f: 'Body' | 'Bold') => {
    face = f;
    return doc.font(f);
  };
  /** doc.text, in runs: characters DejaVu lacks (CJK) are set in the fallback font. */
  const write = (text: string, x?: number, y?: number, options: PDFKit.Mixins.TextOptions = {}) => {
    const runs = fonts.runs(text);
    runs.forEach((r, i) => {
      doc.font(r.fallback ? 'Fallback' : face);
      const opts = { ...options, continued: i < runs.length - 1 ? true : (options.continued ?? false) };
      if (i === 0 && x !== undefined) doc.text(r.text, x, y, opts);
      else doc.text(r.text, opts);
    });
    return doc.font(face);
  };
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const heading = (text: string) => {
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    doc.moveDown(0.8);
    use('Bold').fontSize(12.5).fillColor(INK);
    write(text);
    const y = doc.y + 1;
    doc
      .moveTo(MARGIN, y)
      .lineTo(MARGIN + width, y)
      .lineWidth(0.5)
      .strokeColor('#d0d7de')
      .stroke();
    doc.moveDown(0.4);
    use('Body').fontSize(10);
  };
  const muted = (text: string) => {
    use('Body').fontSize(8.5).fillColor(MUTED);
    write(text).fillColor(INK).fontSize(10);
  };
  /** A label and an amount on one line, the amount right-aligned. */
  const row = (label: string, amount: string, bold = false) => {
    const y = doc.y;
    use(bold ? 'Bold' : 'Body')
      .fontSize(10)
      .fillColor(INK);
    write(label, MARGIN, y, { width: width - 110 });
    const after = doc.y;
    doc.text(amount, MARGIN + width - 110, y, { width: 110, align: 'right' });
    doc.x = MARGIN;
    doc.y = Math.max(after, doc.y);
  };

  // header
  const company = meta.company;
  use('Bold').fontSize(18).fillColor(INK);
  write(company.name);
  const contact = [company.address, company.phone, company.email, company.website]
    .filter(Boolean)
    .join(' · ');
  if (contact || company.licenseNumber)
    muted(
      [contact, company.licenseNumber ? `License ${company.licenseNumber}` : ''].filter(Boolean).join(' · '),
    );
  muted(
    `Proposal ${meta.proposalNumber} · version ${meta.version} · issued ${fmtDate(meta.issuedOn)} · valid until ${fmtDate(meta.validUntil)}`,
  );
  const ruleY = doc.y + 3;
  doc
    .moveTo(MARGIN, ruleY)
    .lineTo(MARGIN + width, ruleY)
    .lineWidth(2)
    .strokeColor(ACCENT)
    .stroke();
  doc.y = ruleY + 4;

  heading('Prepared for');
  write(meta.customer.name);
  for (const line of [meta.customer.email, meta.customer.phone]) if (line) write(line);
  write(`Installation site: ${meta.siteAddress}`);
  if (meta.preparedBy)
    muted(
      `Prepared by ${[meta.preparedBy.name, meta.preparedBy.email, meta.preparedBy.phone].filter(Boolean).join(', ')}`,
    );

  heading('Your system');
  use('Bold').text(`${system.kwDc} kW DC / ${system.kwAc} kW AC`, { continued: true });
  use('Body').text(
    ` (DC/AC ${system.dcAcRatio}) · ${system.moduleCount} modules${system.batteryKwh > 0 ? ` · ${system.batteryKwh} kWh battery storage` : ''} · tilt ${proposal.design.tilt}°, azimuth ${proposal.design.azimuth}°`,
  );
  doc.moveDown(0.3);
  for (const l of system.lines)
    row(`${l.quantity} × ${l.manufacturer} ${l.model} (${l.kind})`, l.rating ?? '');

  heading(
    `Estimated production (${production.source === 'pvwatts-v8' ? 'NREL PVWatts v8' : 'offline estimate'})`,
  );
  doc.text(
    `${fmtKwh(production.acAnnualKwh)} in the first year (${production.specificYieldKwhPerKw} kWh per kW)${
      production.usageOffsetRatio !== null
        ? `, about ${Math.round(production.usageOffsetRatio * 100)} % of your ${fmtKwh(proposal.utility.annualUsageKwh)} yearly use`
        : ''
    }.`,
  );
  doc.moveDown(0.3);
  const colW = width / 12;
  const top = doc.y;
  production.acMonthlyKwh.forEach((v, i) => {
    doc
      .fontSize(8.5)
      .fillColor(MUTED)
      .text(MONTHS[i]!, MARGIN + i * colW, top, { width: colW, align: 'center' });
    doc.fillColor(INK).text(Math.round(v).toLocaleString('en-US'), MARGIN + i * colW, top + 11, {
      width: colW,
      align: 'center',
    });
  });
  doc.x = MARGIN;
  doc.y = top + 26;
  for (const a of production.assumptions) muted(`• ${a}`);

  heading('Price');
  row(`System (${system.kwDc} kW DC)`, formatUsd(p.systemPriceCents));
  for (const a of p.adders) row(a.label, formatUsd(a.amountCents));
  row(`Gross price (${(p.grossCentsPerWatt / 100).toFixed(2)} $/W)`, formatUsd(p.grossCents), true);
  for (const d of p.discounts) row(d.label, `-${formatUsd(d.amountCents)}`);
  if (p.taxCents > 0) row(`Sales tax (${fmtPct(p.taxRate)})`, formatUsd(p.taxCents));
  row('Contract price', formatUsd(p.contractPriceCents), true);
  for (const r of p.rebates)
    row(`${r.label} (${r.source} rebate${r.capped ? ', capped' : ''})`, `-${formatUsd(r.amountCents)}`);
  if (p.itcCents > 0)
    row(
      `Federal tax credit (${fmtPct(p.itcRate)} of ${formatUsd(p.itcBasisCents)})*`,
      `-${formatUsd(p.itcCents)}`,
    );
  row(
    `Net cost after incentives (${(p.netCentsPerWatt / 100).toFixed(2)} $/W)`,
    formatUsd(p.netCostCents),
    true,
  );
  if (p.itcCents > 0)
    muted('* Tax credits depend on your tax liability and eligibility; consult a tax professional.');

  heading('Ways to pay');
  const years = proposal.analysis.years;
  for (const f of proposal.financing) {
    if (doc.y > doc.page.height - MARGIN - 70) doc.addPage();
    const kind = f.label.toLowerCase().includes(KIND_NAMES[f.kind].toLowerCase())
      ? ''
      : ` (${KIND_NAMES[f.kind]})`;
    use('Bold').fontSize(11);
    write(`${f.label}${kind}`);
    use('Body').fontSize(10);
    if (f.monthlyPaymentCents === null) row('Paid at signing', formatUsd(f.upfrontCents), true);
    else {
      row(`Monthly payment: ${paymentCaption(f)}`, `${formatUsd(f.monthlyPaymentCents)}/mo`, true);
      if (f.upfrontCents > 0) row('Upfront', formatUsd(f.upfrontCents));
      if (f.paydown && f.monthlyPaymentAfterPaydownCents !== null)
        row(
          `After paying ${formatUsd(f.paydown.amountCents)} in month ${f.paydown.month}`,
          `${formatUsd(f.monthlyPaymentAfterPaydownCents)}/mo`,
        );
    }
    row('Payback', paybackText(f, years));
    row(`${years}-year savings`, formatUsd(f.netSavingsCents));
    doc.moveDown(0.5);
  }
  muted(
    `Utility rate ${proposal.utility.rateCentsPerKwh} ¢/kWh rising ${fmtPct(proposal.utility.annualRateEscalation)} a year; module output falling ${fmtPct(proposal.analysis.moduleDegradationRate)} a year. Savings are estimates, not guarantees.`,
  );

  if (proposal.warnings.length > 0) {
    heading('Notes');
    for (const w of proposal.warnings) muted(`• ${w}`);
  }
  if (meta.terms) {
    heading('Terms');
    muted(meta.terms);
  }

  heading('Acceptance');
  doc.text(
    `This proposal is valid until ${fmtDate(meta.validUntil)}. Signing below accepts version ${meta.version} and the option chosen.`,
  );
  write(`Chosen option: ${proposal.financing.map((f) => `[ ] ${f.label}`).join('   ')}`);
  doc.moveDown(2.5);
  const signY = doc.y;
  const half = (width - 24) / 2;
  doc
    .moveTo(MARGIN, signY)
    .lineTo(MARGIN + half, signY)
    .lineWidth(0.8)
    .strokeColor(INK)
    .stroke();
  doc
    .moveTo(MARGIN + half + 24, signY)
    .lineTo(MARGIN + width, signY)
    .stroke();
  doc.fontSize(9);
  write(`Customer: ${meta.customer.name}`, MARGIN, signY + 4, { width: half });
  write(
    `For ${company.name}${meta.preparedBy ? `: ${meta.preparedBy.name}` : ''}`,
    MARGIN + half + 24,
    signY + 4,
    {
      width: half,
    },
  );

  doc.end();
  return done;
}
