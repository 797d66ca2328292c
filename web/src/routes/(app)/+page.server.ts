import { can } from '$lib/access/permissions';
import { startOfWeek } from '$lib/format/week';
import { summariseRecent, type RecentLead, type RecentSummary } from '$lib/leads/dashboard';
import { LEAD_STATS_QUERY, RECENT_LEADS_QUERY } from '$lib/leads/lead-documents';
import { serverGraphql } from '$lib/server/graphql';
import { leadStatsDataSchema, recentLeadsDataSchema } from '$lib/server/lead-schemas';
import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import type { PageServerLoad } from './$types';

/** The dashboard scans at most this many of the newest leads for "this week" and "mine". */
const SCAN_PAGES = 5;
const SCAN_PAGE_SIZE = 100;
type RecentPage = z.output<typeof recentLeadsDataSchema>['leads'];

/**
 * Home: lead counts by status, new leads this week and my leads. Both are streamed, so the page paints at once
 * with skeletons and fills in as the answers arrive.
 */
export const load: PageServerLoad = async (event) => {
  const { permissions, viewer } = await event.parent();
  if (!can(permissions, 'leads', 'read')) return { canReadLeads: false as const };
  const now = new Date();
  return {
    canReadLeads: true as const,
    weekStart: startOfWeek(now).toISOString(),
    stats: serverGraphql(event, LEAD_STATS_QUERY, {}, leadStatsDataSchema).then((d) => d.leadStats),
    recent: recentSummary(event, viewer.id, startOfWeek(now)),
  };
};

async function recentSummary(event: RequestEvent, viewerId: string, weekStart: Date): Promise<RecentSummary> {
  const leads: RecentLead[] = [];
  let after: string | null = null;
  let complete = false;
  for (let i = 0; i < SCAN_PAGES; i++) {
    const data: { leads: RecentPage } = await serverGraphql(
      event,
      RECENT_LEADS_QUERY,
      { first: SCAN_PAGE_SIZE, after },
      recentLeadsDataSchema,
    );
    const page = data.leads;
    leads.push(...page.edges.map((e) => e.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) {
      complete = true;
      break;
    }
    after = page.pageInfo.endCursor;
  }
  return summariseRecent(leads, viewerId, weekStart, complete);
}
