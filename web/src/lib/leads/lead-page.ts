import type { LeadPage, LeadSummary, PageInfo } from './lead.js';

/** The `leads` connection as the API answers it. */
export interface LeadConnectionResult {
  totalCount: number;
  pageInfo: PageInfo;
  edges: { cursor: string; node: LeadSummary }[];
}

export function toLeadPage(connection: LeadConnectionResult): LeadPage {
  return {
    leads: connection.edges.map((e) => e.node),
    pageInfo: { hasNextPage: connection.pageInfo.hasNextPage, endCursor: connection.pageInfo.endCursor },
    totalCount: connection.totalCount,
  };
}
