import { describe, expect, it } from 'vitest';
import {
  buildSchema as buildFromSdl,
  isEnumType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLSchema,
} from 'graphql/index.js';
import { buildSchema } from '../../engine/graphql/schema.js';
import { graphqlModules } from '../index.js';

/** The contract the web app is built against (brief, verbatim). The schema may grow, never break it. */
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

/**
 * Where the schema breaks the contract: a contract type, field, argument or enum value missing or with
 * another type, or a new required input field. Additions (new types, fields, optional inputs) are fine.
 */
function breaks(contract: GraphQLSchema, schema: GraphQLSchema): string[] {
  const out: string[] = [];
  for (const [name, want] of Object.entries(contract.getTypeMap())) {
    if (name.startsWith('__')) continue;
    const have = schema.getType(name);
    if (!have || have.constructor !== want.constructor) {
      out.push(`${name}: missing or another kind`);
      continue;
    }
    if (isEnumType(want) && isEnumType(have))
      for (const v of want.getValues()) if (!have.getValue(v.name)) out.push(`${name}.${v.name}: missing`);
    if ((isObjectType(want) && isObjectType(have)) || (isInputObjectType(want) && isInputObjectType(have))) {
      const haveFields = have.getFields();
      for (const [fieldName, field] of Object.entries(want.getFields())) {
        const other = haveFields[fieldName];
        if (!other || String(other.type) !== String(field.type)) {
          out.push(`${name}.${fieldName}: missing or retyped`);
          continue;
        }
        const args: readonly GraphQLArgument[] = 'args' in field ? field.args : [];
        const otherArgs: readonly GraphQLArgument[] = 'args' in other ? other.args : [];
        for (const arg of args) {
          const o = otherArgs.find((a) => a.name === arg.name);
          if (!o || String(o.type) !== String(arg.type) || o.defaultValue !== arg.defaultValue)
            out.push(`${name}.${fieldName}(${arg.name}): missing or retyped`);
        }
        for (const o of otherArgs)
          if (isNonNullType(o.type) && !args.some((a) => a.name === o.name))
            out.push(`${name}.${fieldName}(${o.name}): new required argument`);
      }
      if (isInputObjectType(have))
        for (const [fieldName, f] of Object.entries(haveFields))
          if (!(fieldName in want.getFields()) && isNonNullType(f.type))
            out.push(`${name}.${fieldName}: new required input field`);
    }
  }
  return out;
}

describe('tenant GraphQL schema', () => {
  const schema = buildSchema(graphqlModules);

  it('keeps every type, field and argument of the contract the web app is built against', () => {
    expect(breaks(buildFromSdl(CONTRACT), schema)).toEqual([]);
  });

  it('notices when a contract field disappears or a required input is added', () => {
    const broken = buildFromSdl(
      CONTRACT.replace('fullName: String!', '').replace(
        'input LeadFilter {',
        'input LeadFilter {\n owner: ID!',
      ),
    );
    expect(breaks(buildFromSdl(CONTRACT), broken)).toEqual([
      'Lead.fullName: missing or retyped',
      'LeadFilter.owner: new required input field',
    ]);
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
