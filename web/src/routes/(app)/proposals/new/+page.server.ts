import { error, redirect } from '@sveltejs/kit';
import { can } from '$lib/access/permissions';
import { newProposalForm, siteLocation } from '$lib/proposals/proposal-form';
import { NEW_PROPOSAL_QUERY } from '$lib/proposals/proposal-documents';
import { newProposalDataSchema } from '$lib/proposals/proposal-schemas';
import { serverGraphql } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This opportunity doesn't exist, or it isn't shared with you." });
}

/** /proposals/new?opportunity=<id>: version 1 of an opportunity's proposal, started from its site. */
export const load: PageServerLoad = async (event) => {
  const opportunityId = event.url.searchParams.get('opportunity') ?? '';
  if (!/^[0-9a-fA-F-]{8,64}$/.test(opportunityId)) notFound();
  const [data, { permissions }] = await Promise.all([
    serverGraphql(event, NEW_PROPOSAL_QUERY, { opportunityId }, newProposalDataSchema),
    event.parent(),
  ]);
  const opportunity = data.opportunity ?? notFound();
  // one proposal per opportunity, in versions: open the latest rather than start a second
  const latest = [...data.proposals].sort((a, b) => b.version - a.version)[0];
  if (latest) redirect(303, `/proposals/${latest.id}`);
  if (!can(permissions, 'opportunities', 'update'))
    error(403, { code: 'FORBIDDEN', message: "You don't have permission to create proposals." });
  return {
    opportunity,
    catalogue: data.equipmentCatalogue,
    form: newProposalForm(opportunity.site),
    location: siteLocation(opportunity.site),
  };
};
