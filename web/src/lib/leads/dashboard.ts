import type { LeadStatus } from './lead.js';

export interface RecentLead {
  id: string;
  fullName: string;
  status: LeadStatus;
  ownerId: string | null;
  createdAt: string;
}

export interface RecentSummary {
  /** leads created since the start of the week */
  newThisWeek: number;
  /** the viewer's own leads among those scanned, newest first (at most `keep`) */
  mine: RecentLead[];
  mineCount: number;
  /** true when the scan stopped before the end of the list: the counts are lower bounds */
  partial: boolean;
}

/**
 * Counts from the newest leads (the API lists newest first and has no date or owner filter yet): everything
 * created since `weekStart`, and the viewer's own leads. `complete` says the scan reached the end of the list.
 */
export function summariseRecent(
  leads: readonly RecentLead[],
  viewerId: string,
  weekStart: Date,
  complete: boolean,
  keep = 5,
): RecentSummary {
  const since = weekStart.getTime();
  const mineAll = leads.filter((l) => l.ownerId === viewerId);
  return {
    newThisWeek: leads.filter((l) => new Date(l.createdAt).getTime() >= since).length,
    mine: mineAll.slice(0, keep),
    mineCount: mineAll.length,
    partial: !complete,
  };
}

/** "12" or "500+" when the scan stopped early. */
export function countLabel(count: number, partial: boolean): string {
  return `${count.toLocaleString('en-US')}${partial ? '+' : ''}`;
}
