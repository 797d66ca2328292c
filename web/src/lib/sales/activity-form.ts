import type { SubjectType } from './record-links.js';

/**
 * The "log an activity" form on a record: what a rep types for a call, email, meeting, note or task, and the
 * API's LogActivityInput. Times are typed in the browser's own time zone (datetime-local) and sent as
 * instants; a call's length in minutes, sent in seconds. Field keys are the API's input names, so a
 * validation message lands beside its field.
 */
export const ACTIVITY_KINDS = ['NOTE', 'CALL', 'EMAIL', 'MEETING', 'TASK'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const KIND_LABEL: Record<ActivityKind, string> = {
  NOTE: 'Note',
  CALL: 'Call',
  EMAIL: 'Email',
  MEETING: 'Meeting',
  TASK: 'Task',
};

export const CALL_OUTCOMES = [
  { value: 'CONNECTED', label: 'Connected' },
  { value: 'NO_ANSWER', label: 'No answer' },
  { value: 'LEFT_VOICEMAIL', label: 'Left a voicemail' },
  { value: 'BUSY', label: 'Busy' },
  { value: 'WRONG_NUMBER', label: 'Wrong number' },
] as const;

export interface ActivityForm {
  kind: ActivityKind;
  /** email subject, meeting or task title */
  title: string;
  body: string;
  callOutcome: string;
  /** call length in minutes; '' when not given */
  minutes: string;
  emailDirection: 'OUTBOUND' | 'INBOUND';
  /** datetime-local values ('' when empty) */
  startsAt: string;
  endsAt: string;
  dueAt: string;
  reminderAt: string;
  /** '' = the caller */
  assigneeId: string;
}

export function newActivityForm(kind: ActivityKind = 'NOTE'): ActivityForm {
  return {
    kind,
    title: '',
    body: '',
    callOutcome: 'CONNECTED',
    minutes: '',
    emailDirection: 'OUTBOUND',
    startsAt: '',
    endsAt: '',
    dueAt: '',
    reminderAt: '',
    assigneeId: '',
  };
}

/** A datetime-local value (local wall time) as an ISO instant; null when empty or unreadable. */
export function instant(local: string): string | null {
  if (!local) return null;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}

/** The logActivity input for the form on `subject`; only the fields of its kind are sent. */
export function activityInput(
  form: ActivityForm,
  subject: { subjectType: SubjectType; subjectId: string },
): Record<string, unknown> {
  const base = { kind: form.kind, ...subject };
  const body = form.body.trim() || null;
  const title = form.title.trim() || null;
  switch (form.kind) {
    case 'NOTE':
      return { ...base, body: form.body.trim() };
    case 'CALL':
      return {
        ...base,
        callOutcome: form.callOutcome,
        durationSeconds: form.minutes === '' ? null : Math.round(Number(form.minutes) * 60),
        body,
      };
    case 'EMAIL':
      return { ...base, emailDirection: form.emailDirection, title: form.title.trim(), body };
    case 'MEETING':
      return {
        ...base,
        title: form.title.trim(),
        startsAt: instant(form.startsAt),
        endsAt: instant(form.endsAt),
        body,
      };
    case 'TASK':
      return {
        ...base,
        title,
        dueAt: instant(form.dueAt),
        reminderAt: instant(form.reminderAt),
        assigneeId: form.assigneeId || null,
        body,
      };
  }
}

/** Where the API's message about a field shows: the form field it came from. */
export const FIELD_OF: Record<string, string> = {
  durationSeconds: 'minutes',
};
