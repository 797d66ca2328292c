import { memberCardLoader } from '../access/record-owners.js';
import DataLoader from 'dataloader';
import type { RequestContext } from '../../engine/context.js';
import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import {
  ACTIVITY_KINDS,
  CALL_OUTCOMES,
  EMAIL_DIRECTIONS,
  SUBJECT_TYPES,
  TASK_DUE,
  type Activity,
  type SubjectType,
} from './activity-schema.js';
import {
  completeTask,
  deleteActivity,
  getActivity,
  logActivity,
  myTasks,
  recentActivity,
  timeline,
  updateActivity,
} from './activity-service.js';
import { lastActivityOf, subjectSummariesOf, type RollUpType } from './activity-subjects.js';

const typeDefs = /* GraphQL */ `
  "What sort of activity it is."
  enum ActivityKind {
    "A phone call, with its outcome."
    CALL
    "An email sent or received."
    EMAIL
    "A meeting with a start and an end."
    MEETING
    "A free-text note."
    NOTE
    "Something to do by a due date, assigned to a member."
    TASK
  }

  "The kind of record an activity is attached to."
  enum ActivitySubjectType {
    "A lead."
    LEAD
    "A customer account."
    ACCOUNT
    "A contact person of an account (rolls up to the account)."
    CONTACT
    "A site of an account (rolls up to the account)."
    SITE
    "An opportunity."
    OPPORTUNITY
    "One proposal version of an opportunity (rolls up to the opportunity)."
    PROPOSAL
  }

  "How a call went."
  enum CallOutcome {
    "Spoke with the person."
    CONNECTED
    "Nobody answered."
    NO_ANSWER
    "Left a voicemail."
    LEFT_VOICEMAIL
    "The line was busy."
    BUSY
    "The number was wrong."
    WRONG_NUMBER
  }

  "Whether an email was sent to or received from the customer."
  enum EmailDirection {
    "Received from the customer."
    INBOUND
    "Sent to the customer."
    OUTBOUND
  }

  "Which of the caller's open tasks to list. Days are UTC days."
  enum TaskDue {
    "Due before now."
    OVERDUE
    "Due from now until the end of today."
    TODAY
    "Due after today."
    UPCOMING
  }

  "A call, email, meeting, note or task on a lead, account, contact, site, opportunity or proposal. Visible exactly when that record is."
  type Activity {
    "Stable id (time-ordered UUID)."
    id: ID!
    "Call, email, meeting, note or task."
    kind: ActivityKind!
    "The kind of record it is attached to."
    subjectType: ActivitySubjectType!
    "Id of the record it is attached to."
    subjectId: ID!
    "What that record is called: a lead's or contact's full name, an account's or opportunity's name, a site's label and address, a proposal's opportunity and version."
    subjectName: String!
    "For an activity on a contact or site, the account it belongs to; on a proposal, its opportunity. Null on a lead, account or opportunity."
    parentId: ID
    "Email subject, meeting or task title."
    title: String
    "Notes, the email text or the task description."
    body: String
    "How the call went (calls)."
    callOutcome: CallOutcome
    "How long the call took, in seconds (calls)."
    durationSeconds: Int
    "Sent or received (emails)."
    emailDirection: EmailDirection
    "When the meeting starts (meetings)."
    startsAt: DateTime
    "When the meeting ends (meetings)."
    endsAt: DateTime
    "When the task is due (tasks)."
    dueAt: DateTime
    "When to remind the assignee (tasks)."
    reminderAt: DateTime
    "true once the reminder time has passed on an open task."
    reminderDue: Boolean!
    "Member the task is assigned to (tasks)."
    assigneeId: ID
    "Whether the task is done (always false for other kinds)."
    done: Boolean!
    "When the task was completed."
    completedAt: DateTime
    "Member who completed the task."
    completedBy: ID
    "Member who logged it."
    createdBy: ID
    "Who logged it, as colleagues see them; null when the system did or the member is gone."
    author: OwnerCard
    "When it was logged."
    createdAt: DateTime!
    "When it last changed."
    updatedAt: DateTime!
  }

  "One activity in a timeline page, with its cursor."
  type ActivityEdge {
    "Opaque position; pass it as 'after' to continue from here."
    cursor: String!
    "The activity."
    node: Activity!
  }

  "A page of a record's timeline."
  type ActivityConnection {
    "The activities on this page, newest first."
    edges: [ActivityEdge!]!
    "Where this page sits in the whole timeline."
    pageInfo: PageInfo!
    "How many activities the timeline holds (with the kind filter)."
    totalCount: Int!
  }

  "A new activity. Which fields apply depends on the kind; a field that does not apply is refused."
  input LogActivityInput {
    "Call, email, meeting, note or task."
    kind: ActivityKind!
    "The kind of record to attach it to."
    subjectType: ActivitySubjectType!
    "The record (the caller needs the right to update it)."
    subjectId: ID!
    "Email subject, meeting or task title (required for those; 1–200 characters)."
    title: String
    "Notes (required for a note; up to 20000 characters)."
    body: String
    "How the call went (required for calls)."
    callOutcome: CallOutcome
    "Call length in seconds, up to a day."
    durationSeconds: Int
    "Sent or received (required for emails)."
    emailDirection: EmailDirection
    "Meeting start (required for meetings)."
    startsAt: DateTime
    "Meeting end, after the start (required for meetings)."
    endsAt: DateTime
    "Task due time (required for tasks)."
    dueAt: DateTime
    "When to remind the assignee, at or before the due time."
    reminderAt: DateTime
    "Active member to assign the task to; the caller when omitted."
    assigneeId: ID
  }

  "Changes to an activity; only the fields given change (null clears an optional one). Kind and record never change."
  input UpdateActivityInput {
    "Email subject, meeting or task title."
    title: String
    "Notes or description."
    body: String
    "How the call went."
    callOutcome: CallOutcome
    "Call length in seconds."
    durationSeconds: Int
    "Sent or received."
    emailDirection: EmailDirection
    "Meeting start."
    startsAt: DateTime
    "Meeting end."
    endsAt: DateTime
    "Task due time."
    dueAt: DateTime
    "Task reminder time."
    reminderAt: DateTime
    "Task assignee (an active member)."
    assigneeId: ID
  }

  extend type Lead {
    "When anyone last logged or completed an activity on this lead; null if never."
    lastActivityAt: DateTime
  }

  extend type Account {
    "When anyone last logged or completed an activity on this account or one of its contacts or sites; null if never."
    lastActivityAt: DateTime
  }

  extend type Opportunity {
    "When anyone last logged or completed an activity on this opportunity or one of its proposals; null if never."
    lastActivityAt: DateTime
  }

  extend type Query {
    "A record's activities, newest first. A record the caller cannot see answers NOT_FOUND."
    timeline(
      "The kind of record."
      subjectType: ActivitySubjectType!
      "Id of the record."
      subjectId: ID!
      "Page size, 1–100."
      first: Int! = 20
      "Cursor of the last activity of the previous page."
      after: String
      "Only these kinds."
      kinds: [ActivityKind!]
      "Also the activities on the records that belong to it: an account's contacts and sites, an opportunity's proposals."
      includeRelated: Boolean = true
    ): ActivityConnection!
    "One activity, if the caller can see its record (NOT_FOUND otherwise)."
    activity("Id of the activity." id: ID!): Activity!
    "The caller's open tasks in one due bucket, soonest due first; tasks on records they cannot see are left out."
    myTasks(
      "Overdue, due today or upcoming."
      due: TaskDue!
      "At most this many, 1–100 (50 when omitted)."
      first: Int
    ): [Activity!]!
    "The newest activities (any kind, anyone's) on records the caller can see, newest first: the dashboard feed."
    recentActivity("How many, 1–50." first: Int = 20): [Activity!]!
  }

  extend type Mutation {
    "Log a call, email, meeting, note or task on a record; updates the record's lastActivityAt."
    logActivity("The activity." input: LogActivityInput!): Activity!
    "Change an activity (needs the right to update its record)."
    updateActivity("Id of the activity." id: ID!, "The changes." input: UpdateActivityInput!): Activity!
    "Mark a task done (or open again with done: false). Its assignee may, and anyone who may update the record."
    completeTask(
      "Id of the task."
      id: ID!
      "true to complete, false to reopen."
      done: Boolean! = true
    ): Activity!
    "Delete an activity (needs the right to update its record). Returns its id."
    deleteActivity("Id of the activity." id: ID!): ID!
  }
`;

type Ctx = GraphQLContext;

/** GraphQL enum values are the stored values in upper case. */
const upperToStored = (values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

/** One DataLoader per request and key, so a page of any length costs one batched read per key. */
const perRequest = new WeakMap<RequestContext, Map<string, DataLoader<string, unknown>>>();
function requestLoader<V>(
  rc: RequestContext,
  key: string,
  load: (ids: readonly string[]) => Promise<Map<string, V>>,
): DataLoader<string, V | null> {
  let loaders = perRequest.get(rc);
  if (!loaders) perRequest.set(rc, (loaders = new Map()));
  let loader = loaders.get(key) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const found = await load(ids);
      return ids.map((id) => found.get(id) ?? null);
    });
    loaders.set(key, loader as DataLoader<string, unknown>);
  }
  return loader;
}

/** lastActivityAt of records of one type (scoped read), however many records a list shows. */
const lastActivityLoader = (rc: RequestContext, type: RollUpType) =>
  requestLoader(rc, `lastActivity:${type}`, (ids) => lastActivityOf(rc.data, type, ids));

/** Names and parents of activity subjects of one type (scoped read: only subjects the caller sees, as the activity is). */
const subjectLoader = (rc: RequestContext, type: SubjectType) =>
  requestLoader(rc, `subject:${type}`, (ids) => subjectSummariesOf(rc.data, type, ids));

/** From the record when it was read with its row (a list page needs no second query), else loaded. */
const lastActivityAt =
  (type: RollUpType) =>
  (record: { id: string; lastActivityAt?: Date | null }, _: unknown, { requestContext }: Ctx) =>
    record.lastActivityAt !== undefined
      ? record.lastActivityAt
      : lastActivityLoader(requestContext, type).load(record.id);

export const activitiesGraphQL: GraphQLModule = {
  name: 'activities',
  typeDefs,
  resolvers: {
    ActivityKind: upperToStored(ACTIVITY_KINDS),
    ActivitySubjectType: upperToStored(SUBJECT_TYPES),
    CallOutcome: upperToStored(CALL_OUTCOMES),
    EmailDirection: upperToStored(EMAIL_DIRECTIONS),
    TaskDue: upperToStored(TASK_DUE),
    Activity: {
      done: (a: Activity) => a.completedAt !== null,
      reminderDue: (a: Activity) =>
        a.kind === 'task' && a.completedAt === null && a.reminderAt !== null && a.reminderAt <= new Date(),
      // an activity is only ever served when its subject is visible, so the name is there
      subjectName: async (a: Activity, _: unknown, { requestContext }: Ctx) =>
        (await subjectLoader(requestContext, a.subjectType).load(a.subjectId))?.name ?? '',
      parentId: async (a: Activity, _: unknown, { requestContext }: Ctx) =>
        (await subjectLoader(requestContext, a.subjectType).load(a.subjectId))?.parentId ?? null,
      author: (a: Activity, _: unknown, { requestContext }: Ctx) =>
        a.createdBy ? memberCardLoader(requestContext).load(a.createdBy) : null,
    },
    Lead: { lastActivityAt: lastActivityAt('lead') },
    Account: { lastActivityAt: lastActivityAt('account') },
    Opportunity: { lastActivityAt: lastActivityAt('opportunity') },
    Query: {
      timeline: (_: unknown, a: unknown, { requestContext }: Ctx) => timeline(requestContext, a),
      activity: (_: unknown, a: { id: string }, { requestContext }: Ctx) => getActivity(requestContext, a.id),
      myTasks: (_: unknown, a: unknown, { requestContext }: Ctx) => myTasks(requestContext, a),
      recentActivity: (_: unknown, a: unknown, { requestContext }: Ctx) => recentActivity(requestContext, a),
    },
    Mutation: {
      logActivity: (_: unknown, a: { input: unknown }, { requestContext }: Ctx) =>
        logActivity(requestContext, a.input),
      updateActivity: (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) =>
        updateActivity(requestContext, a.id, a.input),
      completeTask: (_: unknown, a: { id: string; done: boolean }, { requestContext }: Ctx) =>
        completeTask(requestContext, a.id, a.done),
      deleteActivity: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        deleteActivity(requestContext, a.id),
    },
  },
};
