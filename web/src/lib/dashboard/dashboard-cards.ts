import { mergeTimeline, type TimelineEntry } from '../sales/timeline.js';
import { RECORD_TYPE_LABEL, recordHref, type RecordHref } from '../sales/record-links.js';
import type { DueTask, FeedActivity, PipelineSummary } from './dashboard-schemas.js';

/** Pure logic behind the dashboard's tasks, pipeline and recent-activity cards. */

/** The start of a long text on one short line: whitespace collapsed, cut at a word, "…" when cut. */
export function excerpt(text: string | null, max = 120): string | null {
  const flat = text?.replace(/\s+/g, ' ').trim();
  if (!flat) return null;
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max / 2 ? cut.slice(0, lastSpace) : cut).replace(/[\s.,;:–—-]+$/, '')}…`;
}

/** A task on the "My tasks" card, linking to its record. */
export interface TaskItem extends DueTask {
  overdue: boolean;
  href: RecordHref;
}

/**
 * Overdue tasks first, then today's (each group soonest first, as the API answers). `partial` when a group
 * came back full (`pageSize`), so there may be more than the card shows.
 */
export function dueTasks(
  due: { overdue: readonly DueTask[]; today: readonly DueTask[] },
  pageSize: number,
): { items: TaskItem[]; partial: boolean } {
  const item = (t: DueTask, overdue: boolean): TaskItem => ({
    ...t,
    overdue,
    href: recordHref(t.subjectType, t.subjectId, t.parentId),
  });
  return {
    items: [...due.overdue.map((t) => item(t, true)), ...due.today.map((t) => item(t, false))],
    partial: due.overdue.length >= pageSize || due.today.length >= pageSize,
  };
}

/** Open value per open stage, in pipeline order: the bars of the pipeline chart (won and lost are closed). */
export function openStageBars(summary: PipelineSummary): { label: string; value: number }[] {
  return summary.stages
    .filter((s) => s.stage.kind === 'OPEN')
    .map((s) => ({ label: s.stage.name, value: Math.round(s.value) }));
}

/** "38%", or "—" before anything was won or lost. */
export function winRateLabel(winRate: number | null): string {
  return winRate === null ? '—' : `${Math.round(winRate * 100)}%`;
}

/** One line of the recent-activity card: what happened (as record timelines word it), by whom, on what. */
export interface FeedEntry extends TimelineEntry {
  kind: FeedActivity['kind'];
  author: string | null;
  record: { name: string; type: string; href: RecordHref };
}

export function feedEntries(activities: readonly FeedActivity[]): FeedEntry[] {
  // the record timelines' wording (mergeTimeline with no stage changes), so an activity reads the same everywhere
  const byId = new Map(activities.map((a) => [a.id, a]));
  return mergeTimeline(activities, [], () => '').flatMap((entry) => {
    const a = byId.get(entry.id);
    if (!a) return [];
    return [
      {
        ...entry,
        kind: a.kind,
        detail: excerpt(entry.detail),
        author: a.author?.displayName ?? null,
        record: {
          name: a.subjectName || RECORD_TYPE_LABEL[a.subjectType],
          type: RECORD_TYPE_LABEL[a.subjectType],
          href: recordHref(a.subjectType, a.subjectId, a.parentId),
        },
      },
    ];
  });
}
