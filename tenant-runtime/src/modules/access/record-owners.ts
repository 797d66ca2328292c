import DataLoader from 'dataloader';
import type { RequestContext } from '../../engine/context.js';
import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';

/**
 * `owner` on every owned record: who works it, as a name card. Seeing a record is enough to see whose it
 * is (a rep without `access:read` still sees "Priya Patel" on their teammate's lead); the member directory
 * itself, with memberships and roles, stays behind `access:read`.
 */
export interface OwnerCard {
  id: string;
  displayName: string;
}

const perRequest = new WeakMap<RequestContext, DataLoader<string, OwnerCard | null>>();

/** One read of `members` per request, however many records (or activities' authors) a page shows. */
export function memberCardLoader(rc: RequestContext): DataLoader<string, OwnerCard | null> {
  let loader = perRequest.get(rc);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = (await rc.data
        .unscoped('members')
        .whereIn('id', [...ids])
        .select('id', 'display_name')) as Array<{ id: string; display_name: string }>;
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, displayName: r.display_name }]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    perRequest.set(rc, loader);
  }
  return loader;
}

const owner = (record: { ownerId?: string | null }, _: unknown, { requestContext }: GraphQLContext) =>
  record.ownerId ? memberCardLoader(requestContext).load(record.ownerId) : null;

export const recordOwnersGraphQL: GraphQLModule = {
  name: 'record-owners',
  typeDefs: /* GraphQL */ `
    "A colleague as others see them on the records they own: id and name, nothing more."
    type OwnerCard {
      "The member's id."
      id: ID!
      "Name shown to colleagues."
      displayName: String!
    }

    extend type Lead {
      "Who works the lead; null when unassigned."
      owner: OwnerCard
    }
    extend type Account {
      "Who looks after the customer; null when unassigned."
      owner: OwnerCard
    }
    extend type Opportunity {
      "Who works the opportunity; null when unassigned."
      owner: OwnerCard
    }
  `,
  resolvers: {
    Lead: { owner },
    Account: { owner },
    Opportunity: { owner },
  },
};
