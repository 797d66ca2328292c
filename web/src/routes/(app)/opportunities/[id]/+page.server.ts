import { error } from '@sveltejs/kit';
import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { recordHistory } from '$lib/audit/record-history.server';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { opportunityDetailSchema } from '$lib/sales/opportunity-schemas';
import { OPPORTUNITY_QUERY } from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import type { PageServerLoad } from './$types';

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This opportunity doesn't exist, or it isn't shared with you." });
}

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  // ids are UUIDs; anything else cannot be an opportunity, so skip the round trip
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) notFound();
  const { permissions } = await event.parent();
  const [data, directory, history] = await Promise.all([
    serverGraphql(event, OPPORTUNITY_QUERY, { id }, opportunityDetailSchema),
    leadAbilities(permissions).directory
      ? serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
      : Promise.resolve<Directory>(EMPTY_DIRECTORY),
    recordHistory(event, permissions, 'Opportunity', id),
  ]);
  const opportunity = data.opportunity ?? notFound();
  return {
    opportunity,
    stages: [...data.pipelineStages].sort((a, b) => a.position - b.position),
    proposals: data.proposals,
    activities: data.timeline.edges.map((e) => e.node),
    activityCount: data.timeline.totalCount,
    directory,
    canMove: can(permissions, 'opportunities', 'update'),
    // logging on a record is working it: the update right on it
    canLog: can(permissions, 'opportunities', 'update'),
    history,
  };
};
