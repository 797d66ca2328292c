import { error } from '@sveltejs/kit';
import { LEAD_QUERY } from '$lib/leads/lead-documents';
import { serverGraphql } from '$lib/server/graphql';
import { leadDataSchema } from '$lib/server/lead-schemas';
import { LEAD_INSIGHTS_QUERY } from '$lib/leads/lead-insight-documents';
import { leadInsightsSchema } from '$lib/server/lead-insight-schemas';
import { can } from '$lib/access/permissions';
import { recordHistory } from '$lib/audit/record-history.server';
import { recordActivitySchema } from '$lib/sales/opportunity-schemas';
import { RECORD_ACTIVITY_QUERY } from '$lib/sales/sales-documents';
import type { PageServerLoad } from './$types';

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This lead doesn't exist, or it isn't shared with you." });
}

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  // ids are UUIDs; anything else cannot be a lead, so skip the round trip
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) notFound();
  const parent = event.parent();
  const [data, insights, activity, { permissions }, history] = await Promise.all([
    serverGraphql(event, LEAD_QUERY, { id }, leadDataSchema),
    serverGraphql(event, LEAD_INSIGHTS_QUERY, { id }, leadInsightsSchema),
    // a hidden lead's timeline is NOT_FOUND too (the page's own 404 follows from the lead); a timeline that
    // fails otherwise leaves the rest of the page standing
    serverGraphql(event, RECORD_ACTIVITY_QUERY, { type: 'LEAD', id }, recordActivitySchema).catch(() => null),
    parent,
    parent.then(({ permissions }) => recordHistory(event, permissions, 'Lead', id)),
  ]);
  const lead = data.lead ?? notFound();
  return {
    lead,
    insights: insights.lead ?? notFound(),
    activities: activity?.timeline.edges.map((e) => e.node) ?? [],
    activityCount: activity?.timeline.totalCount ?? 0,
    history,
    // converting creates an account and an opportunity, so it needs both rights besides updating the lead
    canConvert: can(permissions, 'customers', 'create') && can(permissions, 'opportunities', 'create'),
  };
};
