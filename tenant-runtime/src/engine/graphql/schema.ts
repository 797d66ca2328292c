import { createSchema } from 'graphql-yoga';
import { baseModule } from './base-schema.js';
import type { GraphQLModule, ServerContext } from './context.js';

/** The tenant GraphQL schema: the base plus every module's types and resolvers, merged by type name. */
export function buildSchema(modules: readonly GraphQLModule[]) {
  const all = [baseModule, ...modules];
  return createSchema<ServerContext>({
    typeDefs: all.map((m) => m.typeDefs),
    resolvers: all.map((m) => m.resolvers),
  });
}
