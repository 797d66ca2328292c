import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { toCard, type OpportunityCard } from '$lib/sales/pipeline';
import { PIPELINE_QUERY } from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { pipelineDataSchema } from '$lib/server/sales-schemas';
import type { z } from 'zod';
import type { PageServerLoad } from './$types';

/** A board shows every open deal at once; past this many we say so rather than load forever. */
const MAX_CARDS = 500;
// the API prices nested fields; 50 cards with stage and account stay under its query cost limit
const PAGE = 50;

export const load: PageServerLoad = async (event) => {
  const { permissions } = await event.parent();
  let after: string | null = null;
  const cards: OpportunityCard[] = [];
  let stages: z.output<typeof pipelineDataSchema>['pipelineStages'] = [];
  let total = 0;
  do {
    const data: z.output<typeof pipelineDataSchema> = await serverGraphql(
      event,
      PIPELINE_QUERY,
      { first: PAGE, after },
      pipelineDataSchema,
    );
    stages = data.pipelineStages;
    total = data.opportunities.totalCount;
    cards.push(...data.opportunities.edges.map((e) => toCard(e.node)));
    after = data.opportunities.pageInfo.hasNextPage ? data.opportunities.pageInfo.endCursor : null;
  } while (after && cards.length < MAX_CARDS);
  const directory: Directory = leadAbilities(permissions).directory
    ? await serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
    : EMPTY_DIRECTORY;
  return {
    stages: [...stages].sort((a, b) => a.position - b.position),
    cards,
    total,
    directory,
    canMove: can(permissions, 'opportunities', 'update'),
  };
};
