import { NotFound } from '@solar/common';
import type { RecordSource } from '../engine/realtime/record-source.js';
import { getActivity, sawDeletedActivity } from './activities/activity-service.js';
import { getAccount, getContact, getSite } from './customers/customer-service.js';
import { getLead, sawDeletedLead } from './leads/lead-service.js';
import { getOpportunity } from './opportunities/opportunity-service.js';
import { getProposal } from './proposals/proposal-service.js';
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
import { leadFormsGraphQL } from './forms/lead-form-graphql.js';
import { recordOwnersGraphQL } from './access/record-owners.js';
import type { RestRoute } from '../engine/rest/rest-route.js';
import { leadRestRoutes } from './leads/lead-rest.js';
import { accountRestRoutes } from './customers/customer-rest.js';
import { contactRestRoutes, siteRestRoutes } from './customers/contact-site-rest.js';
import { opportunityRestRoutes } from './opportunities/opportunity-rest.js';
import { proposalRestRoutes } from './proposals/proposal-rest.js';
import { activityRestRoutes } from './activities/activity-rest.js';

/** Every domain module's GraphQL contribution; app.ts wires them into the one tenant schema. */
export const graphqlModules: readonly GraphQLModule[] = [
  leadsGraphQL,
  accessGraphQL,
  customersGraphQL,
  opportunitiesGraphQL,
  activitiesGraphQL,
  proposalsGraphQL,
  recordOwnersGraphQL,
  leadFormsGraphQL,
];

/** Every row-scoped table: reachable only through the data-access layer (guarded outside production). */
export const scopedTables: readonly string[] = [
  leadsTable.name,
  ...[accountsTable, contactsTable, sitesTable, opportunitiesTable, stageHistoryTable].map((t) => t.name),
];

/** Every module's REST routes under /api/v1 (app.ts mounts them, with the OpenAPI document). */
export const restRoutes: readonly RestRoute[] = [
  ...leadRestRoutes,
  ...accountRestRoutes,
  ...contactRestRoutes,
  ...siteRestRoutes,
  ...opportunityRestRoutes,
  ...proposalRestRoutes,
  ...activityRestRoutes,
];

/**
 * The records realtime subscriptions and webhooks report, each re-read through its module's service (so
 * under the reader's row scope; hidden reads as null).
 */
export const recordSources: readonly RecordSource[] = [
  { recordType: 'LEAD', typeName: 'Lead', load: getLead, sawRemoved: sawDeletedLead },
  { recordType: 'ACCOUNT', typeName: 'Account', load: getAccount },
  { recordType: 'CONTACT', typeName: 'Contact', load: getContact },
  { recordType: 'SITE', typeName: 'Site', load: getSite },
  { recordType: 'OPPORTUNITY', typeName: 'Opportunity', load: getOpportunity },
  { recordType: 'PROPOSAL', typeName: 'Proposal', load: getProposal },
  {
    recordType: 'ACTIVITY',
    typeName: 'Activity',
    load: (rc, id) =>
      getActivity(rc, id).catch((e: unknown) => (e instanceof NotFound ? null : Promise.reject(e))),
    sawRemoved: sawDeletedActivity,
  },
];
