import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { toPage } from '../../engine/rest/rest-page.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import { csvOf, iso, isoOrNull, pageOf, pageQuery, queryBoolean } from '../../engine/rest/rest-schemas.js';
import {
  ACTIVITY_KINDS,
  CALL_OUTCOMES,
  EMAIL_DIRECTIONS,
  logActivityJsonSchema,
  momentsToDates,
  SUBJECT_TYPES,
  type Activity,
} from './activity-schema.js';
import {
  completeTask,
  deleteActivity,
  getActivity,
  logActivity,
  timeline,
  updateActivity,
} from './activity-service.js';

/** An activity as REST shows it; fields that mean nothing for its kind are null. */
export const activityResourceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ACTIVITY_KINDS),
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.uuid(),
  title: z.string().nullable(),
  body: z.string().nullable(),
  callOutcome: z.enum(CALL_OUTCOMES).nullable(),
  durationSeconds: z.number().int().nullable(),
  emailDirection: z.enum(EMAIL_DIRECTIONS).nullable(),
  startsAt: z.iso.datetime().nullable(),
  endsAt: z.iso.datetime().nullable(),
  dueAt: z.iso.datetime().nullable(),
  reminderAt: z.iso.datetime().nullable(),
  assigneeId: z.uuid().nullable(),
  completedAt: z.iso.datetime().nullable(),
  completedBy: z.uuid().nullable(),
  createdBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ActivityResource = z.output<typeof activityResourceSchema>;

export function toActivityResource(a: Activity): ActivityResource {
  return {
    ...a,
    callOutcome: a.callOutcome as ActivityResource['callOutcome'],
    emailDirection: a.emailDirection as ActivityResource['emailDirection'],
    startsAt: isoOrNull(a.startsAt),
    endsAt: isoOrNull(a.endsAt),
    dueAt: isoOrNull(a.dueAt),
    reminderAt: isoOrNull(a.reminderAt),
    completedAt: isoOrNull(a.completedAt),
    createdAt: iso(a.createdAt),
    updatedAt: iso(a.updatedAt),
  };
}

export const activityListQuerySchema = z.object({
  ...pageQuery,
  subjectType: z.enum(SUBJECT_TYPES).describe('What the activities are on'),
  subjectId: z
    .uuid('Must be a record id')
    .describe('The record: a lead, account, contact, site, opportunity or proposal'),
  kind: csvOf(z.enum(ACTIVITY_KINDS, 'Must be one of the activity kinds'))
    .optional()
    .describe('Comma-separated kinds, e.g. call,task'),
  includeRelated: queryBoolean
    .optional()
    .describe("With an account's contacts and sites, an opportunity's proposals (default true)"),
});

const moment = z.iso.datetime({ offset: true, message: 'Must be an ISO 8601 date-time' });
/** Fields changed in place (kind and subject never change); checked against the kind by the service. */
export const updateActivityBodySchema = z
  .strictObject({
    title: z.string().max(200).optional(),
    body: z.string().max(20_000).nullable().optional(),
    callOutcome: z.enum(CALL_OUTCOMES).optional(),
    durationSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
    emailDirection: z.enum(EMAIL_DIRECTIONS).optional(),
    startsAt: moment.optional(),
    endsAt: moment.optional(),
    dueAt: moment.optional(),
    reminderAt: moment.nullable().optional(),
    assigneeId: z.uuid('Must be a member id').nullable().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');

const completeBodySchema = z.object({
  done: z.boolean().default(true).describe('false reopens the task'),
});

const found = async (rc: RequestContext, id: string) => toActivityResource(await getActivity(rc, id));

/**
 * /api/v1/activities: calls, emails, meetings, notes and tasks on any sales record. An
 * activity is visible exactly when its record is; the services enforce who may log, change or complete.
 */
export const activityRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/activities',
    operationId: 'listActivities',
    tag: 'Activities',
    summary: 'One record’s timeline, newest first',
    query: activityListQuerySchema,
    response: pageOf(activityResourceSchema),
    responseName: 'ActivityPage',
    async handle(rc, { query }) {
      const conn = await timeline(rc, {
        first: query.limit,
        after: query.after ?? null,
        subjectType: query.subjectType,
        subjectId: query.subjectId,
        kinds: query.kind ?? null,
        includeRelated: query.includeRelated ?? null,
      });
      return toPage(conn, toActivityResource);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/activities/{id}',
    operationId: 'getActivity',
    tag: 'Activities',
    summary: 'One activity',
    response: activityResourceSchema,
    responseName: 'Activity',
    handle: (rc, { params }) => found(rc, params.id!),
  }),
  defineRoute({
    method: 'POST',
    path: '/activities',
    operationId: 'logActivity',
    tag: 'Activities',
    summary: 'Log a call, email, meeting or note, or create a task (assigned to the caller unless given)',
    body: logActivityJsonSchema,
    response: activityResourceSchema,
    responseName: 'Activity',
    status: 201,
    async handle(rc, { body }) {
      return toActivityResource(await logActivity(rc, momentsToDates(body)));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/activities/{id}',
    operationId: 'updateActivity',
    tag: 'Activities',
    summary: 'Change some of an activity’s fields',
    body: updateActivityBodySchema,
    response: activityResourceSchema,
    responseName: 'Activity',
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params, body }) {
      return toActivityResource(await updateActivity(rc, params.id!, momentsToDates(body)));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/activities/{id}/complete',
    operationId: 'completeTask',
    tag: 'Activities',
    summary: 'Mark a task done (or open again with done: false)',
    body: completeBodySchema,
    response: activityResourceSchema,
    responseName: 'Activity',
    async handle(rc, { params, body }) {
      const { done } = completeBodySchema.parse(body);
      return toActivityResource(await completeTask(rc, params.id!, done));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/activities/{id}',
    operationId: 'deleteActivity',
    tag: 'Activities',
    summary: 'Delete an activity',
    status: 204,
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params }) {
      await deleteActivity(rc, params.id!);
      return null;
    },
  }),
];
