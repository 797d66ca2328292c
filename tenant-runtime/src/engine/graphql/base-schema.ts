import type { GraphQLContext, GraphQLModule } from './context.js';
import { DateTimeScalar } from './scalars.js';

/** What every module builds on: the DateTime scalar, paging info and the caller (viewer). */
export const baseModule: GraphQLModule = {
  name: 'base',
  typeDefs: /* GraphQL */ `
    "An instant in time as an ISO-8601 string in UTC, e.g. 2026-11-24T09:30:00.000Z."
    scalar DateTime

    "Where a page of a connection sits in the whole list."
    type PageInfo {
      "True when more items follow the last edge of this page."
      hasNextPage: Boolean!
      "True when items precede the first edge of this page."
      hasPreviousPage: Boolean!
      "Cursor of the first edge on this page; null when the page is empty."
      startCursor: String
      "Cursor of the last edge on this page; pass it as 'after' to fetch the next page. Null when empty."
      endCursor: String
    }

    "The signed-in caller, as the platform authenticated them."
    type Viewer {
      "Id of the signed-in user."
      userId: ID!
      "Id of the workspace (tenant) the call is made in."
      tenantId: ID!
      "Short name of the workspace, as used in its web address."
      tenantSlug: String!
    }

    "Read entry points of the workspace API."
    type Query {
      "Who is calling, and in which workspace."
      viewer: Viewer!
    }
  `,
  resolvers: {
    DateTime: DateTimeScalar,
    Query: {
      viewer: (_: unknown, __: unknown, { requestContext }: GraphQLContext) => ({
        userId: requestContext.caller.userId,
        tenantId: requestContext.caller.tenantId,
        tenantSlug: requestContext.caller.tenantSlug,
      }),
    },
  },
};
