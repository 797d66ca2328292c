import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { customerLoaders } from '../customers/customer-loaders.js';
import { convertLeadFromInput } from '../leads/convert-lead.js';
import { DateScalar } from './date-scalar.js';
import { opportunityLoaders } from './opportunity-loaders.js';
import type { Opportunity, StageChange } from './opportunity-schema.js';
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  markLost,
  markWon,
  moveOpportunity,
  pipelineSummary,
  updateOpportunity,
} from './opportunity-service.js';
import { createStage, reorderStages, stagesOf, updateStage } from './pipeline-stages.js';

const typeDefs = /* GraphQL */ `
  "A calendar date without time or zone, as YYYY-MM-DD, e.g. 2026-12-31."
  scalar Date

  "What reaching a stage means for an opportunity."
  enum StageKind {
    "Still being worked."
    OPEN
    "Closed won: the customer signed. Terminal."
    WON
    "Closed lost, with a reason. Terminal."
    LOST
  }

  "One step of the workspace's sales pipeline."
  type PipelineStage {
    "Stable key (e.g. qualification) or id of a stage an admin added."
    id: ID!
    "Name shown to users."
    name: String!
    "Place in the pipeline, 1 first; won and lost are always last."
    position: Int!
    "Default win probability (percent) of opportunities entering this stage."
    probability: Int!
    "Open, won or lost."
    kind: StageKind!
  }

  "A potential sale of a solar system to a customer."
  type Opportunity {
    "Stable id (time-ordered UUID)."
    id: ID!
    "Short description, e.g. 'Garcia residence 8 kW rooftop'."
    name: String!
    "The customer; null when the caller may not see that account."
    account: Account
    "The site the system would go on; null when none or not visible to the caller."
    site: Site
    "The lead this opportunity came from; null when none or not visible to the caller."
    lead: Lead
    "Where it is in the pipeline."
    stage: PipelineStage!
    "Expected contract value, in the workspace currency."
    amount: Float
    "Planned system size, in kW DC."
    systemSizeKw: Float
    "Chance of winning, in percent (defaults from the stage)."
    probability: Int!
    "amount × probability: what the pipeline counts this opportunity as."
    weightedAmount: Float
    "When the sale is expected to close."
    expectedCloseDate: Date
    "Why it was lost (only for lost opportunities)."
    lostReason: String
    "When it was won or lost; null while open."
    closedAt: DateTime
    "Id of the member who owns the opportunity."
    ownerId: ID
    "Id of the org unit the opportunity belongs to; decides who else may see it."
    unitId: ID
    "Every stage change, oldest first (the first entry is the opportunity's creation)."
    stageHistory: [StageChange!]!
    "When it was created."
    createdAt: DateTime!
    "When it last changed."
    updatedAt: DateTime!
  }

  "One move of an opportunity between stages."
  type StageChange {
    "Stable id."
    id: ID!
    "The stage it left; null for the creation entry."
    fromStage: PipelineStage
    "The stage it entered."
    toStage: PipelineStage!
    "Why (lost reason)."
    reason: String
    "Member who moved it."
    changedBy: ID
    "When."
    changedAt: DateTime!
  }

  "One opportunity in a page of opportunities, with its cursor."
  type OpportunityEdge {
    "Opaque position in the list; pass it as 'after' (with the same sort) to continue from here."
    cursor: String!
    "The opportunity."
    node: Opportunity!
  }

  "A page of opportunities."
  type OpportunityConnection {
    "The opportunities on this page."
    edges: [OpportunityEdge!]!
    "Where this page sits in the whole list."
    pageInfo: PageInfo!
    "How many opportunities match the filter in total, across all pages."
    totalCount: Int!
  }

  "Narrows a list of opportunities (and the pipeline summary)."
  input OpportunityFilter {
    "Only these stages."
    stageId: [ID!]
    "Only opportunities owned by these members."
    ownerId: [ID!]
    "Only this account's opportunities."
    accountId: ID
    "Expected to close before this date."
    closingBefore: Date
    "Expected to close on or after this date."
    closingAfter: Date
    "true: only open ones; false: only won or lost ones."
    open: Boolean
    "Opportunities whose name starts with this text."
    search: String
  }

  "What opportunities can be sorted by."
  enum OpportunitySortField {
    "Creation time."
    CREATED_AT
    "Expected close date (undated ones last when ascending)."
    EXPECTED_CLOSE
    "Amount (unpriced ones first when ascending)."
    AMOUNT
    "Name."
    NAME
  }

  "The order of a list of opportunities."
  input OpportunitySort {
    "What to sort by."
    field: OpportunitySortField!
    "Which way; ASC when omitted."
    direction: SortDirection
  }

  "A new opportunity."
  input CreateOpportunityInput {
    "Short description (1–200 characters)."
    name: String!
    "The customer's account (must be visible to the caller)."
    accountId: ID!
    "A site of that account."
    siteId: ID
    "The lead it came from."
    leadId: ID
    "An open stage; the first stage when omitted."
    stageId: ID
    "Expected value, 0 to 1000000000."
    amount: Float
    "Planned system size in kW, more than 0."
    systemSizeKw: Float
    "Win probability in percent; the stage's default when omitted."
    probability: Int
    "Expected close date."
    expectedCloseDate: Date
  }

  "Changes to an opportunity; only the fields given change. The stage changes through moveOpportunity."
  input UpdateOpportunityInput {
    "Short description."
    name: String
    "A site of the same account; null clears it."
    siteId: ID
    "Expected value; null clears it."
    amount: Float
    "Planned system size in kW; null clears it."
    systemSizeKw: Float
    "Win probability in percent."
    probability: Int
    "Expected close date; null clears it."
    expectedCloseDate: Date
    "New owner (needs the assign right; within the caller's scope)."
    ownerId: ID
    "New owning unit (needs the assign right; within the caller's scope)."
    unitId: ID
  }

  "A new open stage."
  input CreatePipelineStageInput {
    "Name (unique, 1–100 characters)."
    name: String!
    "Default win probability in percent."
    probability: Int!
    "Position among the open stages (1 first); after the last open stage when omitted."
    position: Int
  }

  "Changes to a stage."
  input UpdatePipelineStageInput {
    "New name."
    name: String
    "New default probability (open stages only)."
    probability: Int
  }

  "Pipeline totals for one stage."
  type PipelineStageTotal {
    "The stage."
    stage: PipelineStage!
    "Opportunities in it that the caller can see."
    count: Int!
    "Their total amount."
    value: Float!
    "Their total amount weighted by probability."
    weightedValue: Float!
  }

  "The sales pipeline over the opportunities the caller can see."
  type Pipeline {
    "Every stage, in order, zeros included."
    stages: [PipelineStageTotal!]!
    "Open opportunities."
    openCount: Int!
    "Total amount of open opportunities."
    openValue: Float!
    "Probability-weighted amount of open opportunities."
    weightedValue: Float!
    "Won ÷ (won + lost), 0 to 1; null before anything closed."
    winRate: Float
  }

  "Which lead to convert, and how to name what it becomes."
  input ConvertLeadInput {
    "The lead (the caller must be allowed to update it)."
    leadId: ID!
    "Account name; the lead's company, else its full name, when omitted."
    accountName: String
    "Opportunity name; '<account> solar' when omitted."
    opportunityName: String
    "Opportunity amount, 0 to 1000000000."
    amount: Float
  }

  "What a lead became."
  type ConvertLeadPayload {
    "The new account, with the lead as its primary contact."
    account: Account!
    "The new site at the lead's address."
    site: Site!
    "The new opportunity in the first stage."
    opportunity: Opportunity!
    "The lead, now converted."
    lead: Lead
  }

  "The result of a change to an opportunity."
  type OpportunityPayload {
    "The opportunity as stored after the change."
    opportunity: Opportunity!
  }

  extend type Query {
    "The workspace's pipeline stages, in order."
    pipelineStages: [PipelineStage!]!
    "Pipeline totals (count, value, weighted value by stage; win rate) over what the caller can see."
    pipeline("Narrows the counted opportunities." filter: OpportunityFilter): Pipeline!
    "One opportunity by id; null when it does not exist or is not visible to the caller."
    opportunity("Id of the opportunity." id: ID!): Opportunity
    "Opportunities, page by page: newest first unless sorted otherwise."
    opportunities(
      "Page size, 1 to 100."
      first: Int = 50
      "Cursor after which the page starts (endCursor of the previous page, same sort)."
      after: String
      "Narrows the list."
      filter: OpportunityFilter
      "Order of the list; newest first when omitted."
      sort: OpportunitySort
    ): OpportunityConnection!
  }

  extend type Mutation {
    "Create an opportunity in an open stage; the caller owns it."
    createOpportunity("The new opportunity." input: CreateOpportunityInput!): OpportunityPayload!
    "Change an opportunity's fields or owner."
    updateOpportunity(
      "Id of the opportunity."
      id: ID!
      "The changes."
      input: UpdateOpportunityInput!
    ): OpportunityPayload!
    "Move an opportunity to another stage (recorded in its history). Moving to the lost stage needs a reason; closed opportunities answer CONFLICT."
    moveOpportunity(
      "Id of the opportunity."
      id: ID!
      "The stage to move to."
      stageId: ID!
      "Why (required for the lost stage)."
      reason: String
    ): OpportunityPayload!
    "Close an opportunity as won."
    markWon("Id of the opportunity." id: ID!): OpportunityPayload!
    "Close an opportunity as lost, with the reason."
    markLost(
      "Id of the opportunity."
      id: ID!
      "Why it was lost (1–500 characters)."
      reason: String!
    ): OpportunityPayload!
    "Convert a lead into an account (with contact), a site and an opportunity, in one step; converting twice answers CONFLICT."
    convertLead("The lead and naming options." input: ConvertLeadInput!): ConvertLeadPayload!
    "Add an open stage to the pipeline (administrators)."
    createPipelineStage("The stage." input: CreatePipelineStageInput!): PipelineStage!
    "Rename a stage or change its default probability (administrators)."
    updatePipelineStage(
      "Id of the stage."
      id: ID!
      "The changes."
      input: UpdatePipelineStageInput!
    ): PipelineStage!
    "Reorder the open stages (administrators); won and lost stay last."
    reorderPipelineStages("Every open stage id, in the new order." openStageIds: [ID!]!): [PipelineStage!]!
  }
`;

type Ctx = GraphQLContext;
const stageById = async (rc: Ctx['requestContext'], id: string | null) =>
  id === null ? null : ((await stagesOf(rc)).find((s) => s.id === id) ?? null);
const payload = async (p: Promise<Opportunity>) => ({ opportunity: await p });

export const opportunitiesGraphQL: GraphQLModule = {
  name: 'opportunities',
  typeDefs,
  resolvers: {
    Date: DateScalar,
    StageKind: { OPEN: 'open', WON: 'won', LOST: 'lost' },
    OpportunitySortField: {
      CREATED_AT: 'created_at',
      EXPECTED_CLOSE: 'expected_close',
      AMOUNT: 'amount',
      NAME: 'name',
    },
    Opportunity: {
      account: (o: Opportunity, _: unknown, { requestContext }: Ctx) =>
        customerLoaders(requestContext).account.load(o.accountId),
      site: (o: Opportunity, _: unknown, { requestContext }: Ctx) =>
        o.siteId ? customerLoaders(requestContext).site.load(o.siteId) : null,
      lead: (o: Opportunity, _: unknown, { requestContext }: Ctx) =>
        o.leadId ? opportunityLoaders(requestContext).lead.load(o.leadId) : null,
      stage: (o: Opportunity, _: unknown, { requestContext }: Ctx) => stageById(requestContext, o.stageId),
      weightedAmount: (o: Opportunity) =>
        o.amount === null ? null : Math.round(o.amount * o.probability) / 100,
      stageHistory: (o: Opportunity, _: unknown, { requestContext }: Ctx) =>
        opportunityLoaders(requestContext).history.load(o.id),
    },
    StageChange: {
      fromStage: (c: StageChange, _: unknown, { requestContext }: Ctx) =>
        stageById(requestContext, c.fromStageId),
      toStage: (c: StageChange, _: unknown, { requestContext }: Ctx) =>
        stageById(requestContext, c.toStageId),
    },
    ConvertLeadPayload: {
      lead: (p: { leadId: string }, _: unknown, { requestContext }: Ctx) =>
        opportunityLoaders(requestContext).lead.load(p.leadId),
    },
    Query: {
      pipelineStages: (_: unknown, __: unknown, { requestContext }: Ctx) => stagesOf(requestContext),
      pipeline: (_: unknown, a: { filter?: unknown }, { requestContext }: Ctx) =>
        pipelineSummary(requestContext, a.filter),
      opportunity: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        getOpportunity(requestContext, a.id),
      opportunities: (_: unknown, a: unknown, { requestContext }: Ctx) =>
        listOpportunities(requestContext, a),
    },
    Mutation: {
      createOpportunity: (_: unknown, a: { input: unknown }, { requestContext }: Ctx) =>
        payload(createOpportunity(requestContext, a.input)),
      updateOpportunity: (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) =>
        payload(updateOpportunity(requestContext, a.id, a.input)),
      moveOpportunity: (
        _: unknown,
        a: { id: string; stageId: string; reason?: string | null },
        { requestContext }: Ctx,
      ) => payload(moveOpportunity(requestContext, a.id, a.stageId, a.reason)),
      markWon: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        payload(markWon(requestContext, a.id)),
      markLost: (_: unknown, a: { id: string; reason: string }, { requestContext }: Ctx) =>
        payload(markLost(requestContext, a.id, a.reason)),
      convertLead: (_: unknown, a: { input: unknown }, { requestContext }: Ctx) =>
        convertLeadFromInput(requestContext, a.input),
      createPipelineStage: (_: unknown, a: { input: unknown }, { requestContext }: Ctx) =>
        createStage(requestContext, a.input),
      updatePipelineStage: (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) =>
        updateStage(requestContext, a.id, a.input),
      reorderPipelineStages: (_: unknown, a: { openStageIds: unknown }, { requestContext }: Ctx) =>
        reorderStages(requestContext, a.openStageIds),
    },
  },
};
