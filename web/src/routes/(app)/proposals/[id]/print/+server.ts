import { error } from '@sveltejs/kit';
import { PRINT_PROPOSAL_QUERY } from '$lib/proposals/proposal-documents';
import { printableProposal } from '$lib/proposals/engine.server';
import { printProposalDataSchema } from '$lib/proposals/proposal-schemas';
import { serverGraphql } from '$lib/server/graphql';
import type { RequestHandler } from './$types';

/**
 * GET /proposals/:id/print — the printable proposal, on this origin. platform-api forwards only /graphql, so the
 * runtime's own print route is out of the browser's reach; its document renderer is pure, so the same HTML is
 * rendered here from the version's stored inputs, read through GraphQL as the signed-in user (what they may
 * not see is a 404, as in the runtime).
 */
export const GET: RequestHandler = async (event) => {
  const id = event.params.id;
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) error(404, { code: 'NOT_FOUND', message: 'No such proposal' });
  const { proposal } = await serverGraphql(event, PRINT_PROPOSAL_QUERY, { id }, printProposalDataSchema);
  if (!proposal) error(404, { code: 'NOT_FOUND', message: 'No such proposal' });
  const site = proposal.opportunity?.site;
  const address = site
    ? [site.street, site.city, site.region, site.postalCode].filter(Boolean).join(', ')
    : '';
  const location = proposal.inputs['location'] as { lat?: number; lon?: number } | undefined;
  const html = printableProposal(proposal.inputs, {
    company: { name: event.locals.tenant ?? 'Solar' },
    customer: { name: proposal.opportunity?.account?.name ?? proposal.opportunity?.name ?? 'Customer' },
    siteAddress:
      address ||
      (location?.lat != null && location.lon != null
        ? `${location.lat.toFixed(4)}, ${location.lon.toFixed(4)}`
        : 'Site'),
    proposalNumber: proposal.id.slice(0, 8).toUpperCase(),
    version: proposal.version,
    issuedOn: proposal.sentAt ?? proposal.createdAt,
    validUntil: proposal.validUntil,
  });
  return new Response(html, {
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'private, no-store' },
  });
};
