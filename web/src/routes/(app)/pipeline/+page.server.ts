import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { toCard, type OpportunityCard } from '$lib/sales/pipeline';
import { PIPELINE_QUERY } from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { pipelineDataSchema } from '$lib/server/sales-schemas';
import type { RequestEvent } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** A board shows every open deal at once; past this many we say so rather than load forever. */
const MAX_CARDS = 500;
// the API prices nested fields; 50 cards with stage and account stay under its query cost limit
const PAGE = 50;

/** The pages after the first, one after another (cursors), until the board is complete or full. */
async function laterPages(
  event: RequestEvent,
  after: string | null,
  loaded: number,
): Promise<OpportunityCard[]> {
  const cards: OpportunityCard[] = [];
  while (after && loaded + cards.length < MAX_CARDS) {
    const data = await serverGraphql(event, PIPELINE_QUERY, { first: PAGE, after }, pipelineDataSchema);
    cards.push(...data.opportunities.edges.map((e) => toCard(e.node)));
    after = data.opportunities.pageInfo.hasNextPage ? data.opportunities.pageInfo.endCursor : null;
  }
  return cards;
}

/**
 * The board paints from the first page of deals (and the member directory, fetched alongside); the remaining
 * pages stream in after it, so a bigger pipeline does not slow the first paint or a route change.
 */
export const load: PageServerLoad = async (event) => {
  const { permissions } = await event.parent();
  const [first, directory] = await Promise.all([
    serverGraphql(event, PIPELINE_QUERY, { first: PAGE, after: null }, pipelineDataSchema),
    leadAbilities(permissions).directory
      ? serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
      : Promise.resolve<Directory>(EMPTY_DIRECTORY),
  ]);
  const cards = first.opportunities.edges.map((e) => toCard(e.node));
  const next = first.opportunities.pageInfo.hasNextPage ? first.opportunities.pageInfo.endCursor : null;
  return {
    stages: [...first.pipelineStages].sort((a, b) => a.position - b.position),
    cards,
    // streamed: resolved after the page is on screen (an empty list when there is nothing more)
    moreCards: laterPages(event, next, cards.length).catch((err: unknown) => {
      event.locals.log.warn({ err: { message: (err as Error).message } }, 'later pipeline pages failed');
      return [] as OpportunityCard[];
    }),
    total: first.opportunities.totalCount,
    directory,
    canMove: can(permissions, 'opportunities', 'update'),
  };
};
