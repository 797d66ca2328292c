import { error } from '@sveltejs/kit';
import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { storedProposal } from '$lib/proposals/engine';
import { figuresOf } from '$lib/proposals/figures';
import { formFromInputs, siteLocation } from '$lib/proposals/proposal-form';
import { PROPOSAL_QUERY } from '$lib/proposals/proposal-documents';
import { proposalDataSchema } from '$lib/proposals/proposal-schemas';
import { recordActivitySchema } from '$lib/sales/opportunity-schemas';
import { RECORD_ACTIVITY_QUERY } from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This proposal doesn't exist, or it isn't shared with you." });
}

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) notFound();
  const { permissions } = await event.parent();
  const [data, activity, directory] = await Promise.all([
    serverGraphql(event, PROPOSAL_QUERY, { id }, proposalDataSchema),
    serverGraphql(event, RECORD_ACTIVITY_QUERY, { type: 'PROPOSAL', id }, recordActivitySchema),
    leadAbilities(permissions).directory
      ? serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
      : Promise.resolve<Directory>(EMPTY_DIRECTORY),
  ]);
  const proposal = data.proposal ?? notFound();
  const stored = proposal.inputs['location'] as { lat: number; lon: number } | undefined;
  return {
    proposal,
    opportunity: proposal.opportunity,
    catalogue: data.equipmentCatalogue,
    form: formFromInputs(proposal.inputs),
    // the stored version's figures, recomputed from its stored inputs by the same engine: exactly what was saved
    figures: figuresOf(storedProposal(proposal.inputs)),
    location: stored ?? siteLocation(proposal.opportunity?.site),
    canEdit: can(permissions, 'opportunities', 'update'),
    activities: activity.timeline.edges.map((e) => e.node),
    activityCount: activity.timeline.totalCount,
    directory,
    // logging on it is working the deal: the update right on opportunities
    canLog: can(permissions, 'opportunities', 'update'),
    // a fresh builder per load (after a save the page reloads with the stored figures)
    loadedAt: Date.now(),
  };
};
