import { z } from 'zod';
import { connectionArgsSchema } from '../../engine/graphql/connection.js';
import { requiredText } from '../../engine/validation/fields.js';

export const ACTIVITY_KINDS = ['call', 'email', 'meeting', 'note', 'task'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];
export const SUBJECT_TYPES = ['lead', 'account', 'contact', 'site', 'opportunity', 'proposal'] as const;
export type SubjectType = (typeof SUBJECT_TYPES)[number];
export const CALL_OUTCOMES = ['connected', 'no_answer', 'left_voicemail', 'busy', 'wrong_number'] as const;
export const EMAIL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const TASK_DUE = ['overdue', 'today', 'upcoming'] as const;
export type TaskDue = (typeof TASK_DUE)[number];

const uuid = (what: string) => z.uuid(`Must be ${what} id`);
const body = z.string().trim().max(20_000, 'At most 20000 characters');
const subject = { subjectType: z.enum(SUBJECT_TYPES), subjectId: uuid('a record') };

/*
 * One schema per kind, each strict: a field that means nothing for the kind (a duration on a note) is
 * refused rather than silently dropped. Updates are validated by merging the patch into the stored activity
 * and parsing the result with the same schema, so the rules live here once. Built over a moment schema so
 * REST can describe (and check) the same rules with ISO strings where GraphQL hands over Dates.
 */
function activitySchemas<M extends z.ZodType>(moment: M) {
  type Moments = Partial<Record<'startsAt' | 'endsAt' | 'dueAt' | 'reminderAt', Date | string | null>>;
  const after = (a: unknown, b: unknown) => new Date(a as Date | string) > new Date(b as Date | string);
  const call = z.strictObject({
    kind: z.literal('call'),
    ...subject,
    callOutcome: z.enum(CALL_OUTCOMES, 'Say how the call went'),
    durationSeconds: z.number().int('Whole seconds').min(0).max(86_400, 'At most a day').nullish(),
    body: body.nullish(),
  });
  const email = z.strictObject({
    kind: z.literal('email'),
    ...subject,
    emailDirection: z.enum(EMAIL_DIRECTIONS, 'Say whether it was sent or received'),
    title: requiredText(200),
    body: body.nullish(),
  });
  const meeting = z
    .strictObject({
      kind: z.literal('meeting'),
      ...subject,
      title: requiredText(200),
      startsAt: moment,
      endsAt: moment,
      body: body.nullish(),
    })
    .refine((m: unknown) => after((m as Moments).endsAt, (m as Moments).startsAt), {
      path: ['endsAt'],
      message: 'Must be after the start',
    });
  const note = z.strictObject({ kind: z.literal('note'), ...subject, body: requiredText(20_000) });
  const task = z
    .strictObject({
      kind: z.literal('task'),
      ...subject,
      title: requiredText(200),
      dueAt: moment,
      reminderAt: moment.nullish(),
      /** defaults to the member logging it */
      assigneeId: uuid('a member').nullish(),
      body: body.nullish(),
    })
    .refine(
      (t: unknown) =>
        (t as Moments).reminderAt == null || !after((t as Moments).reminderAt, (t as Moments).dueAt),
      {
        path: ['reminderAt'],
        message: 'Must be at or before the due date',
      },
    );
  return z.discriminatedUnion('kind', [call, email, meeting, note, task]);
}

export const logActivityInputSchema = activitySchemas(z.date('Required'));
export type LogActivityInput = z.output<typeof logActivityInputSchema>;

/** The same rules with moments as ISO 8601 strings (REST bodies); convert with `momentsToDates`. */
export const logActivityJsonSchema = activitySchemas(
  z.iso.datetime({ offset: true, message: 'Must be an ISO 8601 date-time' }),
);

/** The fields that hold a moment. */
export const MOMENT_FIELDS = ['startsAt', 'endsAt', 'dueAt', 'reminderAt'] as const;

/** A JSON body's ISO strings → Dates, for the services (which validate them again). */
export function momentsToDates(body: unknown): unknown {
  if (!body || typeof body !== 'object') return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const field of MOMENT_FIELDS)
    if (typeof out[field] === 'string') out[field] = new Date(out[field] as string);
  return out;
}

/** Fields changed in place; kind and subject never change. */
export const updateActivityInputSchema = z
  .strictObject({
    title: z.unknown().optional(),
    body: z.unknown().optional(),
    callOutcome: z.unknown().optional(),
    durationSeconds: z.unknown().optional(),
    emailDirection: z.unknown().optional(),
    startsAt: z.unknown().optional(),
    endsAt: z.unknown().optional(),
    dueAt: z.unknown().optional(),
    reminderAt: z.unknown().optional(),
    assigneeId: z.unknown().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');

export const timelineArgsSchema = connectionArgsSchema.extend({
  ...subject,
  kinds: z.array(z.enum(ACTIVITY_KINDS)).max(5).nullish(),
  /** with an account's contacts and sites, an opportunity's proposals (default true) */
  includeRelated: z.boolean().nullish(),
});

export const myTasksArgsSchema = z.object({
  due: z.enum(TASK_DUE),
  first: z.number().int().min(1, 'At least 1').max(100, 'At most 100').nullish(),
});

/** The newest activities across the records the caller can see: a dashboard feed, not a paged list. */
export const recentActivityArgsSchema = z.object({
  first: z.number().int().min(1, 'At least 1').max(50, 'At most 50').nullish(),
});

/** An activity as the API shows it. */
export interface Activity {
  id: string;
  kind: ActivityKind;
  subjectType: SubjectType;
  subjectId: string;
  title: string | null;
  body: string | null;
  callOutcome: string | null;
  durationSeconds: number | null;
  emailDirection: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  dueAt: Date | null;
  reminderAt: Date | null;
  assigneeId: string | null;
  completedAt: Date | null;
  completedBy: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}
