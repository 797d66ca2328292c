import { describe, expect, it } from 'vitest';
import {
  buildSchema as buildFromSdl,
  isEnumType,
  isInputObjectType,
  isObjectType,
  lexicographicSortSchema,
  parse,
  print,
  printSchema,
  visit,
} from 'graphql/index.js';
import { buildSchema } from '../../engine/graphql/schema.js';
import { graphqlModules } from '../index.js';

/** The contract the web app is built against (brief, verbatim). */
const CONTRACT = /* GraphQL */ `
  scalar DateTime
  enum LeadStatus {
    NEW
    CONTACTED
    QUALIFIED
    UNQUALIFIED
    CONVERTED
  }
  enum LeadSource {
    WEB_FORM
    REFERRAL
    DOOR_TO_DOOR
    EVENT
    PARTNER
    PAID_ADS
    PHONE
    OTHER
  }
  type Lead {
    id: ID!
    firstName: String!
    lastName: String!
    fullName: String!
    email: String
    phone: String
    company: String
    street: String
    city: String
    region: String
    postalCode: String
    country: String!
    source: LeadSource!
    status: LeadStatus!
    monthlyBill: Float
    notes: String
    ownerId: ID
    createdAt: DateTime!
    updatedAt: DateTime!
  }
  type PageInfo {
    hasNextPage: Boolean!
    hasPreviousPage: Boolean!
    startCursor: String
    endCursor: String
  }
  type LeadEdge {
    cursor: String!
    node: Lead!
  }
  type LeadConnection {
    edges: [LeadEdge!]!
    pageInfo: PageInfo!
    totalCount: Int!
  }
  input LeadFilter {
    status: [LeadStatus!]
    search: String
  }
  type Viewer {
    userId: ID!
    tenantId: ID!
    tenantSlug: String!
  }
  type Query {
    viewer: Viewer!
    lead(id: ID!): Lead
    leads(first: Int = 50, after: String, filter: LeadFilter): LeadConnection!
  }
  input CreateLeadInput {
    firstName: String!
    lastName: String!
    email: String
    phone: String
    company: String
    street: String
    city: String
    region: String
    postalCode: String
    country: String
    source: LeadSource!
    monthlyBill: Float
    notes: String
  }
  type CreateLeadPayload {
    lead: Lead!
  }
  type Mutation {
    createLead(input: CreateLeadInput!): CreateLeadPayload!
  }
`;

const withoutDescriptions = (sdl: string) =>
  print(
    visit(parse(sdl), {
      enter: (node) => ('description' in node ? { ...node, description: undefined } : node),
    }),
  );
const normalised = (sdl: string) =>
  printSchema(lexicographicSortSchema(buildFromSdl(withoutDescriptions(sdl))));

describe('tenant GraphQL schema', () => {
  const schema = buildSchema(graphqlModules);

  it('is exactly the contract the web app is built against', () => {
    expect(normalised(printSchema(schema))).toBe(normalised(CONTRACT));
  });

  it('describes every type, field, argument and enum value', () => {
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name))
        continue;
      if (!type.description) missing.push(type.name);
      if (isObjectType(type) || isInputObjectType(type)) {
        for (const field of Object.values(type.getFields())) {
          if (!field.description) missing.push(`${type.name}.${field.name}`);
          for (const arg of 'args' in field ? field.args : [])
            if (!arg.description) missing.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
      if (isEnumType(type))
        for (const value of type.getValues())
          if (!value.description) missing.push(`${type.name}.${value.name}`);
    }
    expect(missing).toEqual([]);
  });
});
