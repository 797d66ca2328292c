import type { GraphQLModule } from '../engine/graphql/context.js';
import { accessGraphQL } from './access/access-graphql.js';
import { leadsGraphQL } from './leads/lead-graphql.js';
import { leadsTable } from './leads/lead-repository.js';
import { customersGraphQL } from './customers/customer-graphql.js';
import { accountsTable, contactsTable, sitesTable } from './customers/customer-tables.js';
import { opportunitiesGraphQL } from './opportunities/opportunity-graphql.js';
import { opportunitiesTable, stageHistoryTable } from './opportunities/opportunity-tables.js';

/** Every domain module's GraphQL contribution; app.ts wires them into the one tenant schema. */
export const graphqlModules: readonly GraphQLModule[] = [
  leadsGraphQL,
  accessGraphQL,
  customersGraphQL,
  opportunitiesGraphQL,
];

/** Every row-scoped table: reachable only through the data-access layer (guarded outside production). */
export const scopedTables: readonly string[] = [
  leadsTable.name,
  ...[accountsTable, contactsTable, sitesTable, opportunitiesTable, stageHistoryTable].map((t) => t.name),
];
