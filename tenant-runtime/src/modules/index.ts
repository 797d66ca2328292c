import type { GraphQLModule } from '../engine/graphql/context.js';
import { accessGraphQL } from './access/access-graphql.js';
import { leadsGraphQL } from './leads/lead-graphql.js';
import { leadsTable } from './leads/lead-repository.js';
import { customersGraphQL } from './customers/customer-graphql.js';
import { accountsTable, contactsTable, sitesTable } from './customers/customer-tables.js';
import { opportunitiesGraphQL } from './opportunities/opportunity-graphql.js';
import { opportunitiesTable, stageHistoryTable } from './opportunities/opportunity-tables.js';
import { activitiesGraphQL } from './activities/activity-graphql.js';
import { proposalsGraphQL } from './proposals/proposal-graphql.js';
import { recordOwnersGraphQL } from './access/record-owners.js';
import type { RestRoute } from '../engine/rest/rest-route.js';
import { leadRestRoutes } from './leads/lead-rest.js';
import { accountRestRoutes } from './customers/customer-rest.js';

/** Every domain module's GraphQL contribution; app.ts wires them into the one tenant schema. */
export const graphqlModules: readonly GraphQLModule[] = [
  leadsGraphQL,
  accessGraphQL,
  customersGraphQL,
  opportunitiesGraphQL,
  activitiesGraphQL,
  proposalsGraphQL,
  recordOwnersGraphQL,
];

/** Every row-scoped table: reachable only through the data-access layer (guarded outside production). */
export const scopedTables: readonly string[] = [
  leadsTable.name,
  ...[accountsTable, contactsTable, sitesTable, opportunitiesTable, stageHistoryTable].map((t) => t.name),
];

/** Every module's REST routes under /api/v1 (app.ts mounts them, with the OpenAPI document). */
export const restRoutes: readonly RestRoute[] = [...leadRestRoutes, ...accountRestRoutes];
