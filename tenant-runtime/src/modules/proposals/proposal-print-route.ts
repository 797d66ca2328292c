import { NotFound } from '@solar/common';
import { requestContextFrom, type RequestContext, type RuntimeState } from '../../engine/context.js';
import type { Middleware } from '../../engine/http/koa.js';
import { customerRepository } from '../customers/customer-repository.js';
import { getOpportunity } from '../opportunities/opportunity-service.js';
import { renderProposalHtml, type ProposalDocumentMeta } from './proposal-document.js';
import { renderProposalPdf } from './proposal-pdf.js';
import type { Proposal } from './proposal-repository.js';
import { getProposal } from './proposal-service.js';

const PRINT_PATH = /^\/proposals\/([^/]+)\/print(\.pdf)?$/;

/** Who, where and when for the printed document, read under the caller's row scope. */
async function documentMeta(rc: RequestContext, proposal: Proposal): Promise<ProposalDocumentMeta> {
  const opp = await getOpportunity(rc, proposal.opportunityId);
  const customers = customerRepository(rc.data);
  const account = opp ? await customers.findAccount(opp.accountId) : null;
  const site = opp?.siteId ? await customers.findSite(opp.siteId) : null;
  const address = site
    ? [site.street, site.city, site.region, site.postalCode].filter(Boolean).join(', ')
    : '';
  const { lat, lon } = proposal.input.location;
  return {
    company: { name: rc.tenant.slug },
    customer: { name: account?.name ?? opp?.name ?? 'Customer' },
    siteAddress: address || `${lat.toFixed(4)}, ${lon.toFixed(4)}`,
    proposalNumber: proposal.id.slice(0, 8).toUpperCase(),
    version: proposal.version,
    issuedOn: proposal.sentAt ?? proposal.createdAt,
    validUntil: proposal.validUntil,
  };
}

/**
 * GET /proposals/:id/print (HTML) and /proposals/:id/print.pdf (PDF): one proposal version, printable,
 * both from the same document model. Mounted after authentication, tenant and access resolution, so it
 * sees exactly what the caller's GraphQL would: a proposal whose opportunity is hidden is a 404 like a
 * missing one.
 */
export function proposalPrintRoute(options: { scopedTables: readonly string[] }): Middleware<RuntimeState> {
  return async (ctx, next) => {
    const match = ctx.method === 'GET' ? PRINT_PATH.exec(ctx.path) : null;
    if (!match) return next();
    const rc = requestContextFrom(ctx.state, options.scopedTables);
    const proposal = await getProposal(rc, decodeURIComponent(match[1]!));
    if (!proposal) throw new NotFound('No such proposal');
    const meta = await documentMeta(rc, proposal);
    ctx.status = 200;
    // per-caller content: never cached by shared caches
    ctx.set('cache-control', 'private, no-store');
    if (match[2]) {
      ctx.set('content-type', 'application/pdf');
      ctx.set(
        'content-disposition',
        `inline; filename="proposal-${meta.proposalNumber}-v${proposal.version}.pdf"`,
      );
      ctx.body = await renderProposalPdf(proposal.result, meta);
      return;
    }
    ctx.set('content-type', 'text/html; charset=utf-8');
    ctx.body = renderProposalHtml(proposal.result, meta);
  };
}
