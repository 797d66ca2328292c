import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import { computeProposal } from './compute-proposal.js';
import { renderProposalHtml, type ProposalDocumentMeta } from './proposal-document.js';
import { workedExample } from './proposal-fixture.js';

const meta: ProposalDocumentMeta = {
  company: {
    name: 'Sunny Roofs <Solar> & Co',
    phone: '+1 303 555 0100',
    email: 'sales@sunny.example',
    licenseNumber: 'EC-12345',
  },
  customer: { name: 'Ada "Lovelace" <script>alert(1)</script>', email: 'ada@example.com' },
  siteAddress: '12 Elm St, Boulder, CO 80302',
  proposalNumber: 'P-2026-0042',
  version: 2,
  preparedBy: { name: 'Sam Seller' },
  issuedOn: new Date('2026-11-24T00:00:00Z'),
  validUntil: new Date('2026-12-24T00:00:00Z'),
};

describe('printable proposal', () => {
  const proposal = computeProposal(workedExample());
  const html = renderProposalHtml(proposal, meta);

  it('escapes everything people typed, so a name cannot inject markup', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('Ada &quot;Lovelace&quot; &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('Sunny Roofs &lt;Solar&gt; &amp; Co');
  });

  it('is self-contained and print-ready', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('@page { size: letter;');
    expect(renderProposalHtml(proposal, { ...meta, paper: 'a4' })).toContain('@page { size: A4;');
    expect(html).not.toMatch(/<script|<link|src="http/);
  });

  it('shows the system, production source, price breakdown and validity', () => {
    expect(html).toContain('8.2 kW DC</strong> / 6.5 kW AC');
    expect(html).toContain('NREL PVWatts v8');
    expect(html).toContain('11,000 kWh</strong> in the first year');
    expect(html).toContain('$29,120.00'); // gross
    expect(html).toContain('−$1,456.00'); // 5 % discount
    expect(html).toContain('$28,522.20'); // contract price
    expect(html).toContain('−$7,904.05'); // federal ITC
    expect(html).toContain('$19,618.15'); // net cost
    expect(html).toContain('Valid until December 24, 2026');
  });

  it('gives each financing option its monthly payment, payback and 25-year savings', () => {
    expect(html).toContain('$213.21/mo');
    expect(html).toContain('$149.67/mo after paying $7,904.05 in month 18');
    expect(html).toContain('$47,882.98'); // cash 25-year savings
    expect(html).toContain('$30,435.84'); // loan 25-year savings
    expect(html).toContain('$110.00/mo'); // PPA first-year average
  });

  it('draws the monthly production and cumulative savings as inline SVG, one line per option', () => {
    expect(html).toContain('aria-label="Estimated production by month"');
    expect(html.match(/<polyline /g)).toHaveLength(4);
    expect(html.match(/<rect /g)?.length).toBe(12 + 4); // 12 bars + 4 legend keys
  });

  it('labels an offline estimate and has a signature block', () => {
    const input = workedExample();
    input.production = {
      ...input.production,
      source: 'offline-estimate',
      assumptions: ['Offline estimate: no weather data was used.'],
    };
    const offline = renderProposalHtml(computeProposal(input), meta);
    expect(offline).toContain('Offline estimate</span>');
    expect(offline).toContain('Offline estimate: no weather data was used.');
    expect(html).toContain('Signature and date');
    expect(html).toContain('accepts version 2');
  });

  it('refuses incomplete document details with field paths', () => {
    expect(() => renderProposalHtml(proposal, { ...meta, siteAddress: ' ' })).toThrow(ValidationFailed);
  });
});
