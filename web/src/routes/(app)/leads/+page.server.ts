import { LEADS_QUERY } from '$lib/leads/lead-documents';
import { leadFilter, PAGE_SIZE, parseStatusFilter } from '$lib/leads/lead';
import { toLeadPage } from '$lib/leads/lead-page';
import { serverGraphql } from '$lib/server/graphql';
import { leadsDataSchema } from '$lib/server/lead-schemas';
import type { PageServerLoad } from './$types';

/** First page on the server (fast first paint, works without JS); `after` serves "Load more" without JS. */
export const load: PageServerLoad = async (event) => {
  const params = event.url.searchParams;
  const q = (params.get('q') ?? '').slice(0, 100);
  const statuses = parseStatusFilter(params.getAll('status'));
  const after = params.get('after');
  const data = await serverGraphql(
    event,
    LEADS_QUERY,
    { first: PAGE_SIZE, after: after || null, filter: leadFilter(q, statuses) },
    leadsDataSchema,
  );
  return { q, statuses, after, page: toLeadPage(data.leads) };
};
