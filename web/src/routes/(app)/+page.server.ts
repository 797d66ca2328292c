import { can } from '$lib/access/permissions';
import { dueTasks, feedEntries } from '$lib/dashboard/dashboard-cards';
import {
  MY_TASKS_DUE_QUERY,
  PIPELINE_SUMMARY_QUERY,
  RECENT_ACTIVITY_QUERY,
} from '$lib/dashboard/dashboard-documents';
import {
  myTasksDueDataSchema,
  pipelineSummaryDataSchema,
  recentActivityDataSchema,
} from '$lib/dashboard/dashboard-schemas';
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
/** Tasks per due group (overdue, today) and activities the dashboard shows. */
const TASKS_PER_GROUP = 20;
const RECENT_ACTIVITIES = 15;

/**
 * Home: lead counts by status, new leads this week and my leads; my tasks due, the pipeline and recent
 * activity. Each card is streamed, so the page paints at once with skeletons and fills in as the answers
 * arrive, and each is loaded only for viewers whose role may read it (activities and tasks live on leads,
 * customers and opportunities, and are as visible as those).
 */
export const load: PageServerLoad = async (event) => {
  const { permissions, viewer } = await event.parent();
  const canReadLeads = can(permissions, 'leads', 'read');
  const canReadPipeline = can(permissions, 'opportunities', 'read');
  const canReadRecords = canReadLeads || canReadPipeline || can(permissions, 'customers', 'read');
  const now = new Date();
  return {
    canReadLeads,
    canReadRecords,
    weekStart: startOfWeek(now).toISOString(),
    stats: canReadLeads
      ? serverGraphql(event, LEAD_STATS_QUERY, {}, leadStatsDataSchema).then((d) => d.leadStats)
      : null,
    recent: canReadLeads ? recentSummary(event, viewer.id, startOfWeek(now)) : null,
    tasks: canReadRecords
      ? serverGraphql(event, MY_TASKS_DUE_QUERY, {}, myTasksDueDataSchema).then((d) =>
          dueTasks(d, TASKS_PER_GROUP),
        )
      : null,
    pipeline: canReadPipeline
      ? serverGraphql(event, PIPELINE_SUMMARY_QUERY, {}, pipelineSummaryDataSchema).then((d) => d.pipeline)
      : null,
    activity: canReadRecords
      ? serverGraphql(
          event,
          RECENT_ACTIVITY_QUERY,
          { first: RECENT_ACTIVITIES },
          recentActivityDataSchema,
        ).then((d) => feedEntries(d.recentActivity))
      : null,
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
