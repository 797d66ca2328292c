import { NotFound } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { toPage } from '../../engine/rest/rest-page.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import { csvOf, iso, isoOrNull, pageOf, pageQuery, queryBoolean } from '../../engine/rest/rest-schemas.js';
import {
  createOpportunityInputSchema,
  isoDate,
  OPPORTUNITY_SORT_FIELDS,
  STAGE_KINDS,
  updateOpportunityInputSchema,
  type Opportunity,
} from './opportunity-schema.js';
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  moveOpportunity,
  updateOpportunity,
} from './opportunity-service.js';
import { stagesOf } from './pipeline-stages.js';

/** An opportunity as REST shows it (amounts in dollars, dates as ISO strings). */
export const opportunityResourceSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  accountId: z.uuid(),
  siteId: z.uuid().nullable(),
  leadId: z.uuid().nullable(),
  stageId: z.string().describe('A pipeline stage id (GET /pipeline-stages)'),
  amount: z.number().nullable().describe('In dollars'),
  systemSizeKw: z.number().nullable(),
  probability: z.number().int().describe('Percent'),
  expectedCloseDate: z.string().nullable().describe('YYYY-MM-DD'),
  lostReason: z.string().nullable(),
  closedAt: z.iso.datetime().nullable(),
  ownerId: z.uuid().nullable(),
  unitId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type OpportunityResource = z.output<typeof opportunityResourceSchema>;

export const pipelineStageSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  kind: z.enum(STAGE_KINDS),
});

export const opportunityListQuerySchema = z.object({
  ...pageQuery,
  stageId: csvOf(z.string().max(64)).optional().describe('Comma-separated stage ids'),
  ownerId: csvOf(z.uuid('Must be a member id')).optional().describe('Comma-separated member ids'),
  accountId: z.uuid('Must be an account id').optional(),
  open: queryBoolean.optional().describe('true: open stages only; false: won or lost only'),
  closingBefore: isoDate.optional().describe('Expected close before this date (YYYY-MM-DD)'),
  closingAfter: isoDate.optional().describe('Expected close on or after this date (YYYY-MM-DD)'),
  search: z.string().trim().max(100).optional().describe('Name prefix'),
  sort: z.enum(OPPORTUNITY_SORT_FIELDS).optional().describe('Newest first when omitted'),
  direction: z.enum(['asc', 'desc']).optional().describe('With sort; asc when omitted'),
});

export const moveBodySchema = z.object({
  stageId: z.string().min(1).max(64).describe('The stage to move to'),
  reason: z.string().max(500).optional().describe('Required when the stage is a lost stage'),
});

export function toOpportunityResource(o: Opportunity): OpportunityResource {
  return {
    ...o,
    closedAt: isoOrNull(o.closedAt),
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

async function found(rc: RequestContext, id: string): Promise<OpportunityResource | null> {
  const o = await getOpportunity(rc, id);
  return o ? toOpportunityResource(o) : null;
}

/** /api/v1/opportunities: the services GraphQL calls, so row scope and events apply unchanged. */
export const opportunityRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/pipeline-stages',
    operationId: 'listPipelineStages',
    tag: 'Opportunities',
    summary: 'The workspace pipeline, in order',
    response: z.object({ data: z.array(pipelineStageSchema) }),
    responseName: 'PipelineStageList',
    async handle(rc) {
      return { data: await stagesOf(rc) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/opportunities',
    operationId: 'listOpportunities',
    tag: 'Opportunities',
    summary: 'Opportunities the caller can see',
    query: opportunityListQuerySchema,
    response: pageOf(opportunityResourceSchema),
    responseName: 'OpportunityPage',
    async handle(rc, { query }) {
      const conn = await listOpportunities(rc, {
        first: query.limit,
        after: query.after ?? null,
        filter: {
          stageId: query.stageId ?? null,
          ownerId: query.ownerId ?? null,
          accountId: query.accountId ?? null,
          open: query.open ?? null,
          closingBefore: query.closingBefore ?? null,
          closingAfter: query.closingAfter ?? null,
          search: query.search ?? null,
        },
        sort: query.sort ? { field: query.sort, direction: query.direction ?? 'asc' } : null,
      });
      return toPage(conn, toOpportunityResource);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/opportunities/{id}',
    operationId: 'getOpportunity',
    tag: 'Opportunities',
    summary: 'One opportunity',
    response: opportunityResourceSchema,
    responseName: 'Opportunity',
    async handle(rc, { params }) {
      const opp = await found(rc, params.id!);
      if (!opp) throw new NotFound('No such opportunity');
      return opp;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/opportunities',
    operationId: 'createOpportunity',
    tag: 'Opportunities',
    summary:
      'Open an opportunity on an account, in the first open stage unless one is given; the caller owns it',
    body: createOpportunityInputSchema,
    response: opportunityResourceSchema,
    responseName: 'Opportunity',
    status: 201,
    async handle(rc, { body }) {
      return toOpportunityResource(await createOpportunity(rc, body));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/opportunities/{id}',
    operationId: 'updateOpportunity',
    tag: 'Opportunities',
    summary: 'Change fields; ownerId/unitId hand it over (assign right). The stage moves with POST …/stage',
    body: updateOpportunityInputSchema,
    response: opportunityResourceSchema,
    responseName: 'Opportunity',
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params, body }) {
      return toOpportunityResource(await updateOpportunity(rc, params.id!, body));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/opportunities/{id}/stage',
    operationId: 'moveOpportunity',
    tag: 'Opportunities',
    summary: 'Move to a stage (recorded in the history); won and lost are final, lost needs a reason',
    body: moveBodySchema,
    response: opportunityResourceSchema,
    responseName: 'Opportunity',
    async handle(rc, { params, body }) {
      const { stageId, reason } = body as z.output<typeof moveBodySchema>;
      return toOpportunityResource(await moveOpportunity(rc, params.id!, stageId, reason));
    },
  }),
];
