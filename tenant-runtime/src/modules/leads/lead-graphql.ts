import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { LEAD_SOURCES, LEAD_STATUSES } from './lead-schema.js';
import {
  assignLead,
  createLead,
  deleteLead,
  exportLeads,
  getLead,
  leadStats,
  listLeads,
  updateLead,
} from './lead-service.js';

const typeDefs = /* GraphQL */ `
  "Where a lead is in qualification."
  enum LeadStatus {
    "Just captured; nobody has reached out yet."
    NEW
    "Someone has been in touch."
    CONTACTED
    "A real prospect: worth an opportunity."
    QUALIFIED
    "Not a fit (renter, shaded roof, no interest…)."
    UNQUALIFIED
    "Turned into a customer and opportunity."
    CONVERTED
  }

  "How the lead reached the installer."
  enum LeadSource {
    "The website's contact or quote form."
    WEB_FORM
    "Recommended by a customer or contact."
    REFERRAL
    "Canvassing in the neighbourhood."
    DOOR_TO_DOOR
    "A trade show, fair or community event."
    EVENT
    "A lead partner or affiliate."
    PARTNER
    "Paid advertising (search, social)."
    PAID_ADS
    "An inbound phone call."
    PHONE
    "Anything else."
    OTHER
  }

  "A person or business that may want solar, before they become a customer."
  type Lead {
    "Stable id (time-ordered UUID)."
    id: ID!
    "Given name."
    firstName: String!
    "Family name."
    lastName: String!
    "First and last name together, for display."
    fullName: String!
    "Email address, lower-cased."
    email: String
    "Phone number as entered."
    phone: String
    "Company name, for commercial leads."
    company: String
    "Street address of the property."
    street: String
    "City of the property."
    city: String
    "State, province or region of the property."
    region: String
    "Postal or ZIP code of the property."
    postalCode: String
    "ISO 3166-1 alpha-2 country code of the property, e.g. US."
    country: String!
    "How the lead reached us."
    source: LeadSource!
    "Where the lead is in qualification."
    status: LeadStatus!
    "Average monthly electricity bill, in the workspace currency."
    monthlyBill: Float
    "Free-form notes."
    notes: String
    "Id of the user who owns (works) this lead."
    ownerId: ID
    "Id of the org unit (usually a team) the lead belongs to; decides who else may see it."
    unitId: ID
    "When the lead was captured."
    createdAt: DateTime!
    "When the lead last changed."
    updatedAt: DateTime!
  }

  "One lead in a page of leads, with its cursor."
  type LeadEdge {
    "Opaque position of this lead in the list; pass it as 'after' to continue from here."
    cursor: String!
    "The lead."
    node: Lead!
  }

  "A page of leads, newest first."
  type LeadConnection {
    "The leads on this page."
    edges: [LeadEdge!]!
    "Where this page sits in the whole list."
    pageInfo: PageInfo!
    "How many leads match the filter in total, across all pages."
    totalCount: Int!
  }

  "Narrows the list of leads."
  input LeadFilter {
    "Only leads in one of these statuses."
    status: [LeadStatus!]
    "Leads whose first name, last name, email, phone or city starts with this text."
    search: String
  }

  "A new lead."
  input CreateLeadInput {
    "Given name (1–100 characters)."
    firstName: String!
    "Family name (1–100 characters)."
    lastName: String!
    "Email address."
    email: String
    "Phone number, 7 to 15 digits."
    phone: String
    "Company name, for commercial leads."
    company: String
    "Street address of the property."
    street: String
    "City of the property."
    city: String
    "State, province or region of the property."
    region: String
    "Postal or ZIP code of the property."
    postalCode: String
    "ISO 3166-1 alpha-2 country code; US when omitted."
    country: String
    "How the lead reached us."
    source: LeadSource!
    "Average monthly electricity bill, 0 to 100000."
    monthlyBill: Float
    "Free-form notes."
    notes: String
  }

  "The result of createLead."
  type CreateLeadPayload {
    "The lead as stored, owned by its creator."
    lead: Lead!
  }

  "Changes to a lead; only the fields given change."
  input UpdateLeadInput {
    "Given name (1–100 characters)."
    firstName: String
    "Family name (1–100 characters)."
    lastName: String
    "Email address; empty clears it."
    email: String
    "Phone number, 7 to 15 digits; empty clears it."
    phone: String
    "Company name."
    company: String
    "Street address of the property."
    street: String
    "City of the property."
    city: String
    "State, province or region of the property."
    region: String
    "Postal or ZIP code of the property."
    postalCode: String
    "ISO 3166-1 alpha-2 country code."
    country: String
    "How the lead reached us."
    source: LeadSource
    "Where the lead is in qualification."
    status: LeadStatus
    "Average monthly electricity bill, 0 to 100000."
    monthlyBill: Float
    "Free-form notes."
    notes: String
  }

  "Who should work a lead from now on: a new owner, a new owning unit, or both."
  input AssignLeadInput {
    "Member who will own the lead."
    ownerId: ID
    "Org unit (team) the lead will belong to."
    unitId: ID
  }

  "The result of updateLead."
  type UpdateLeadPayload {
    "The lead as stored after the change."
    lead: Lead!
  }

  "The result of assignLead."
  type AssignLeadPayload {
    "The lead with its new owner and unit."
    lead: Lead!
  }

  "The result of deleteLead."
  type DeleteLeadPayload {
    "Id of the lead that was deleted."
    deletedId: ID!
  }

  "How many leads are in one status."
  type LeadStatusCount {
    "The status."
    status: LeadStatus!
    "Leads in that status that the caller can see."
    count: Int!
  }

  "Lead counts over the leads the caller can see."
  type LeadStats {
    "All leads matching the filter."
    total: Int!
    "Counts per status, every status listed (zero included)."
    byStatus: [LeadStatusCount!]!
  }

  "A CSV export of the leads the caller may export."
  type LeadExport {
    "Suggested file name."
    filename: String!
    "MIME type of the content."
    contentType: String!
    "Number of leads in the file."
    rowCount: Int!
    "True when more leads matched than one export holds (10000)."
    truncated: Boolean!
    "The file: RFC 4180 CSV with a header row."
    csv: String!
  }

  extend type Query {
    "Lead counts by status over the leads the caller can see."
    leadStats("Narrows the counted leads." filter: LeadFilter): LeadStats!
    "The leads the caller may export, as CSV, newest first."
    exportLeads("Narrows the exported leads." filter: LeadFilter): LeadExport!
    "One lead by id; null when it does not exist or is not visible to the caller."
    lead("Id of the lead." id: ID!): Lead
    "Leads, newest first, page by page."
    leads(
      "Page size, 1 to 100."
      first: Int = 50
      "Cursor after which the page starts (endCursor of the previous page)."
      after: String
      "Narrows the list."
      filter: LeadFilter
    ): LeadConnection!
  }

  "Write entry points of the workspace API."
  type Mutation {
    "Capture a new lead; the caller becomes its owner."
    createLead("The new lead." input: CreateLeadInput!): CreateLeadPayload!
    "Change a lead's fields. A lead the caller cannot see answers NOT_FOUND."
    updateLead("Id of the lead." id: ID!, "The changes." input: UpdateLeadInput!): UpdateLeadPayload!
    "Give a lead to another owner and/or unit; outside the caller's scope answers OUT_OF_SCOPE."
    assignLead(
      "Id of the lead."
      id: ID!
      "The new owner and/or unit."
      input: AssignLeadInput!
    ): AssignLeadPayload!
    "Delete a lead. A lead the caller cannot see answers NOT_FOUND."
    deleteLead("Id of the lead." id: ID!): DeleteLeadPayload!
  }
`;

const upperToStored = (values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

export const leadsGraphQL: GraphQLModule = {
  name: 'leads',
  typeDefs,
  resolvers: {
    // GraphQL shows NEW / WEB_FORM; the rows store new / web_form
    LeadStatus: upperToStored(LEAD_STATUSES),
    LeadSource: upperToStored(LEAD_SOURCES),
    Query: {
      lead: (_: unknown, args: { id: string }, { requestContext }: GraphQLContext) =>
        getLead(requestContext, args.id),
      leads: (_: unknown, args: unknown, { requestContext }: GraphQLContext) =>
        listLeads(requestContext, args),
      leadStats: (_: unknown, args: { filter?: unknown }, { requestContext }: GraphQLContext) =>
        leadStats(requestContext, args.filter),
      exportLeads: (_: unknown, args: { filter?: unknown }, { requestContext }: GraphQLContext) =>
        exportLeads(requestContext, args.filter),
    },
    Mutation: {
      createLead: async (_: unknown, args: { input: unknown }, { requestContext }: GraphQLContext) => ({
        lead: await createLead(requestContext, args.input),
      }),
      updateLead: async (
        _: unknown,
        a: { id: string; input: unknown },
        { requestContext }: GraphQLContext,
      ) => ({
        lead: await updateLead(requestContext, a.id, a.input),
      }),
      assignLead: async (
        _: unknown,
        a: { id: string; input: unknown },
        { requestContext }: GraphQLContext,
      ) => ({
        lead: await assignLead(requestContext, a.id, a.input),
      }),
      deleteLead: async (_: unknown, a: { id: string }, { requestContext }: GraphQLContext) => ({
        deletedId: await deleteLead(requestContext, a.id),
      }),
    },
  },
};
