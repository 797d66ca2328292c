import { ValidationFailed } from '@solar/common';
import type { GraphQLContext, GraphQLModule } from '../graphql/context.js';
import { UUID } from '../validation/fields.js';
import type { RecordSource } from './record-source.js';
import { watchRecordChanges, type ChangeEvent, type RecordChangesDeps } from './record-changes.js';

/** At most this many `showing` ids per subscription: a screenful, not a table dump. */
const MAX_SHOWING = 200;

/** Which GraphQL type a loaded record is, for the ChangedRecord union. */
const typeOfRecord = new WeakMap<object, string>();

/**
 * `Subscription.recordChanged` / `recordsChanged`: record changes over SSE (Yoga's GraphQL-over-SSE), each
 * re-read under the subscriber's row scope. One generic pair of fields for every record type in `sources`.
 */
export function realtimeGraphQL(
  deps: RecordChangesDeps & { sources: readonly RecordSource[] },
): GraphQLModule {
  const byType = new Map(deps.sources.map((s) => [s.recordType, s]));
  const sourceOf = (type: string) => {
    const source = byType.get(type);
    if (!source) throw new ValidationFailed({ type: ['unknown record type'] });
    return source;
  };
  const watch = (ctx: GraphQLContext, type: string, options: { id?: string; showing?: string[] }) => {
    const source = sourceOf(type);
    if (options.id !== undefined && !UUID.test(options.id))
      throw new ValidationFailed({ id: ['must be a record id'] });
    if ((options.showing?.length ?? 0) > MAX_SHOWING)
      throw new ValidationFailed({ showing: [`at most ${MAX_SHOWING} ids`] });
    const showing = options.showing?.filter((id) => UUID.test(id));
    return watchRecordChanges(deps, ctx.requestContext, { source, ...options, showing });
  };
  /*
   * Each change was read under a freshly resolved context (permissions as they are now); the record's own
   * field resolvers (owner, relations) must use that one too, so it replaces the subscription's context
   * before the change is executed. Changes execute one after another, so no other event shares it.
   */
  const resolve = (event: ChangeEvent, _: unknown, ctx: GraphQLContext) => {
    ctx.requestContext = event.rc;
    if (event.change.record) typeOfRecord.set(event.change.record, byType.get(event.change.type)!.typeName);
    return event.change;
  };

  return {
    name: 'realtime',
    typeDefs: /* GraphQL */ `
      "The kinds of record whose changes can be followed live."
      enum RecordType {
        ${deps.sources.map((s) => `"${s.typeName} records."\n${s.recordType}`).join('\n')}
      }

      "What a change did to a record, as the viewer sees it."
      enum ChangeKind {
        "The record was created (and the viewer can see it)."
        CREATED
        "The record changed and the viewer can see it: refetch or merge 'record'."
        UPDATED
        "The record was deleted, or moved out of the viewer's view: drop it. Sent only for records the viewer saw."
        REMOVED
      }

      "A record a change refers to."
      union ChangedRecord = ${deps.sources.map((s) => s.typeName).join(' | ')}

      "One change to a record, as the subscribing viewer may see it."
      type RecordChange {
        "The kind of record."
        type: RecordType!
        "The record's id."
        id: ID!
        "What happened, from the viewer's point of view."
        kind: ChangeKind!
        "The domain event behind the change (e.g. lead.assigned); null when REMOVED."
        event: String
        "When the change happened."
        changedAt: DateTime!
        "The member who made the change; null when REMOVED or made by the system."
        actorId: ID
        "The record as the viewer sees it now; null when REMOVED."
        record: ChangedRecord
      }

      "Live updates, over Server-Sent Events (Accept: text/event-stream)."
      type Subscription {
        "Changes to one record the viewer can see (lead, account, contact, site, opportunity, proposal, activity)."
        recordChanged(
          "The kind of record."
          type: RecordType!
          "The record's id."
          id: ID!
        ): RecordChange!
        "Changes to any record of a type the viewer can see (list screens)."
        recordsChanged(
          "The kind of record."
          type: RecordType!
          "Ids the screen already shows (at most 200): if one of them leaves the viewer's view, a REMOVED change says so."
          showing: [ID!]
        ): RecordChange!
      }
    `,
    resolvers: {
      ChangedRecord: {
        __resolveType: (record: object) => typeOfRecord.get(record) ?? null,
      },
      Subscription: {
        recordChanged: {
          subscribe: (_: unknown, args: { type: string; id: string }, ctx: GraphQLContext) =>
            watch(ctx, args.type, { id: args.id }),
          resolve,
        },
        recordsChanged: {
          subscribe: (_: unknown, args: { type: string; showing?: string[] | null }, ctx: GraphQLContext) =>
            watch(ctx, args.type, args.showing ? { showing: args.showing } : {}),
          resolve,
        },
      },
    },
  };
}
