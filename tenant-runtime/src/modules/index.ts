import type { GraphQLModule } from '../engine/graphql/context.js';
import { leadsGraphQL } from './leads/lead-graphql.js';

/** Every domain module's GraphQL contribution; app.ts wires them into the one tenant schema. */
export const graphqlModules: readonly GraphQLModule[] = [leadsGraphQL];
