import type { YogaInitialContext, createSchema } from 'graphql-yoga';
import type { RequestContext } from '../context.js';

/** What Yoga is given per request (the server context): our one request context. */
export interface ServerContext {
  requestContext: RequestContext;
}

/** What every resolver receives: Yoga's own context plus our request context. */
export type GraphQLContext = YogaInitialContext & ServerContext;

/** The `resolvers` shape createSchema accepts, for our context. */
export type Resolvers = Exclude<
  NonNullable<Parameters<typeof createSchema<ServerContext>>[0]['resolvers']>,
  readonly unknown[]
>;

/** A domain module's contribution to the tenant GraphQL API. */
export interface GraphQLModule {
  name: string;
  /** SDL; every type and field carries a description */
  typeDefs: string;
  resolvers: Resolvers;
}
