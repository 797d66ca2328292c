import type { Activity } from './opportunity-schemas.js';
import { RECORD_TYPE_LABEL, type SubjectType } from './record-links.js';

/** One line of a record's history: an activity logged on it, or (for a deal) a stage change. */
export interface TimelineEntry {
  id: string;
  at: string;
  kind: 'CALL' | 'EMAIL' | 'MEETING' | 'NOTE' | 'TASK' | 'STAGE';
  title: string;
  detail: string | null;
  /** member who did it */
  by: string | null;
  /** for an activity on a part of the record (a customer's contact or site, a deal's proposal): which part */
  about: string | null;
}

/** Records that are part of another and show in its timeline. */
const PARTS: ReadonlySet<SubjectType> = new Set(['CONTACT', 'SITE', 'PROPOSAL']);

export interface StageChangeLike {
  id: string;
  fromStage: { id: string } | null;
  toStage: { id: string };
  reason: string | null;
  changedBy: string | null;
  changedAt: string;
}

const CALL_OUTCOMES: Record<string, string> = {
  CONNECTED: 'connected',
  NO_ANSWER: 'no answer',
  LEFT_VOICEMAIL: 'left a voicemail',
  BUSY: 'busy',
  WRONG_NUMBER: 'wrong number',
};

function activityTitle(a: Activity): string {
  switch (a.kind) {
    case 'CALL': {
      const outcome = a.callOutcome ? (CALL_OUTCOMES[a.callOutcome] ?? a.callOutcome.toLowerCase()) : null;
      const minutes = a.durationSeconds ? ` · ${Math.max(1, Math.round(a.durationSeconds / 60))} min` : '';
      return `Call${outcome ? ` — ${outcome}` : ''}${minutes}`;
    }
    case 'EMAIL':
      return `${a.emailDirection === 'INBOUND' ? 'Email received' : 'Email sent'}${a.title ? `: ${a.title}` : ''}`;
    case 'MEETING':
      return `Meeting${a.title ? `: ${a.title}` : ''}`;
    case 'TASK':
      return `${a.done ? 'Task done' : 'Task'}${a.title ? `: ${a.title}` : ''}`;
    case 'NOTE':
      return 'Note';
  }
}

/**
 * Activities and stage changes in one list, newest first, so "what happened with this deal" reads top down.
 * The first stage entry (no from-stage) is the deal's creation.
 */
export function mergeTimeline(
  activities: readonly Activity[],
  stageChanges: readonly StageChangeLike[],
  stageName: (id: string) => string,
): TimelineEntry[] {
  const entries: TimelineEntry[] = activities.map((a) => ({
    id: a.id,
    at: a.createdAt,
    kind: a.kind,
    title: activityTitle(a),
    detail: a.body,
    by: a.createdBy,
    about: PARTS.has(a.subjectType) ? `${RECORD_TYPE_LABEL[a.subjectType]}: ${a.subjectName}` : null,
  }));
  for (const s of stageChanges) {
    entries.push({
      id: s.id,
      at: s.changedAt,
      kind: 'STAGE',
      title: s.fromStage
        ? `Moved from ${stageName(s.fromStage.id)} to ${stageName(s.toStage.id)}`
        : `Created in ${stageName(s.toStage.id)}`,
      detail: s.reason,
      by: s.changedBy,
      about: null,
    });
  }
  return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
