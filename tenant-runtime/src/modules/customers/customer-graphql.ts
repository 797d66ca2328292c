import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { customerLoaders } from './customer-loaders.js';
import {
  ACCOUNT_KINDS,
  ROOF_TYPES,
  SHADING_LEVELS,
  type Account,
  type Contact,
  type Site,
} from './customer-schema.js';
import {
  addContact,
  addSite,
  assignAccount,
  createAccount,
  getAccount,
  getContact,
  getSite,
  listAccounts,
  removeContact,
  removeSite,
  updateAccount,
  updateContact,
  updateSite,
} from './customer-service.js';

const typeDefs = /* GraphQL */ `
  "Which way a list is sorted."
  enum SortDirection {
    "Smallest, earliest or A first."
    ASC
    "Largest, latest or Z first."
    DESC
  }

  "Whether a customer is a household or a business."
  enum AccountKind {
    "A homeowner or household."
    RESIDENTIAL
    "A business, farm, school or other organisation."
    COMMERCIAL
  }

  "How much shade falls on the roof (or array area) over the year."
  enum Shading {
    "Open sky all day."
    NONE
    "Some shade early or late in the day."
    LIGHT
    "Shade for part of the productive hours."
    MODERATE
    "Shade for much of the day; production suffers noticeably."
    HEAVY
  }

  "What the roof (or mounting surface) is made of."
  enum RoofType {
    "Asphalt or composition shingles."
    ASPHALT_SHINGLE
    "Standing-seam or corrugated metal."
    METAL
    "Clay or concrete tile."
    TILE
    "Natural slate."
    SLATE
    "Wood shakes or shingles."
    WOOD_SHAKE
    "Flat roof with a membrane (TPO, EPDM, built-up)."
    FLAT_MEMBRANE
    "No roof: the array stands on the ground."
    GROUND_MOUNT
    "Anything else."
    OTHER
  }

  "A customer: a household or business the installer sells to and serves."
  type Account {
    "Stable id (time-ordered UUID)."
    id: ID!
    "Household or business."
    kind: AccountKind!
    "Display name: the household (e.g. 'Garcia residence') or the company."
    name: String!
    "Billing street address."
    billingStreet: String
    "Billing city."
    billingCity: String
    "Billing state, province or region."
    billingRegion: String
    "Billing postal or ZIP code."
    billingPostalCode: String
    "ISO 3166-1 alpha-2 country code of the billing address."
    billingCountry: String!
    "Id of the lead this account was converted from, if any."
    sourceLeadId: ID
    "Id of the member who owns the account."
    ownerId: ID
    "Id of the org unit the account belongs to; decides who else may see it."
    unitId: ID
    "People at this customer, the primary contact first."
    contacts: [Contact!]!
    "The primary contact, if any."
    primaryContact: Contact
    "Properties of this customer where systems may be installed."
    sites: [Site!]!
    "When the account was created."
    createdAt: DateTime!
    "When the account last changed."
    updatedAt: DateTime!
  }

  "A person at a customer."
  type Contact {
    "Stable id."
    id: ID!
    "The account this contact belongs to."
    account: Account
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
    "Job title or role (e.g. 'Facilities manager', 'Co-owner')."
    title: String
    "True for the account's main point of contact (at most one per account)."
    isPrimary: Boolean!
    "When the contact was added."
    createdAt: DateTime!
    "When the contact last changed."
    updatedAt: DateTime!
  }

  "A property where a solar system may be installed, with what a designer needs to size it."
  type Site {
    "Stable id."
    id: ID!
    "The account that owns this site."
    account: Account
    "Short name, e.g. 'Home' or 'Warehouse 2'."
    label: String!
    "Street address."
    street: String
    "City."
    city: String
    "State, province or region."
    region: String
    "Postal or ZIP code."
    postalCode: String
    "ISO 3166-1 alpha-2 country code."
    country: String!
    "Latitude in decimal degrees (WGS 84)."
    latitude: Float
    "Longitude in decimal degrees (WGS 84)."
    longitude: Float
    "Electric utility serving the site."
    utility: String
    "Utility meter number."
    meterNumber: String
    "Roof material (or ground mount)."
    roofType: RoofType
    "Roof pitch in degrees from horizontal, 0 to 90."
    roofPitchDeg: Float
    "Roof azimuth in degrees clockwise from north (180 = due south), 0 to 359.9."
    roofAzimuthDeg: Float
    "How shaded the array area is."
    shading: Shading
    "Electricity used per year, in kWh."
    annualUsageKwh: Int
    "Average monthly electricity bill, in the workspace currency."
    averageMonthlyBill: Float
    "When the site was added."
    createdAt: DateTime!
    "When the site last changed."
    updatedAt: DateTime!
  }

  "One account in a page of accounts, with its cursor."
  type AccountEdge {
    "Opaque position of this account in the list; pass it as 'after' to continue from here."
    cursor: String!
    "The account."
    node: Account!
  }

  "A page of accounts."
  type AccountConnection {
    "The accounts on this page."
    edges: [AccountEdge!]!
    "Where this page sits in the whole list."
    pageInfo: PageInfo!
    "How many accounts match the filter in total, across all pages."
    totalCount: Int!
  }

  "Narrows the list of accounts."
  input AccountFilter {
    "Only accounts of these kinds."
    kind: [AccountKind!]
    "Only accounts owned by these members."
    ownerId: [ID!]
    "Accounts whose name or billing city starts with this text."
    search: String
  }

  "What accounts can be sorted by."
  enum AccountSortField {
    "Creation time."
    CREATED_AT
    "Account name."
    NAME
  }

  "The order of a list of accounts."
  input AccountSort {
    "What to sort by."
    field: AccountSortField!
    "Which way; ASC when omitted."
    direction: SortDirection
  }

  "A person at a customer, as entered."
  input ContactInput {
    "Given name (1–100 characters)."
    firstName: String!
    "Family name (1–100 characters)."
    lastName: String!
    "Email address."
    email: String
    "Phone number, 7 to 15 digits."
    phone: String
    "Job title or role."
    title: String
    "Make this the account's primary contact (the previous primary is demoted)."
    isPrimary: Boolean
  }

  "Changes to a contact; only the fields given change."
  input UpdateContactInput {
    "Given name (1–100 characters)."
    firstName: String
    "Family name (1–100 characters)."
    lastName: String
    "Email address; empty clears it."
    email: String
    "Phone number, 7 to 15 digits; empty clears it."
    phone: String
    "Job title or role."
    title: String
    "Make this the primary contact (true demotes the previous one)."
    isPrimary: Boolean
  }

  "A site, as entered. Omitted fields stay empty."
  input SiteInput {
    "Short name; 'Main site' when omitted."
    label: String
    "Street address."
    street: String
    "City."
    city: String
    "State, province or region."
    region: String
    "Postal or ZIP code."
    postalCode: String
    "ISO 3166-1 alpha-2 country code; US when omitted."
    country: String
    "Latitude, -90 to 90."
    latitude: Float
    "Longitude, -180 to 180."
    longitude: Float
    "Electric utility."
    utility: String
    "Utility meter number."
    meterNumber: String
    "Roof material."
    roofType: RoofType
    "Roof pitch in degrees, 0 to 90."
    roofPitchDeg: Float
    "Roof azimuth in degrees from north, 0 to 359.9."
    roofAzimuthDeg: Float
    "Shading level."
    shading: Shading
    "Annual usage in kWh (whole number)."
    annualUsageKwh: Int
    "Average monthly bill, 0 to 1000000."
    averageMonthlyBill: Float
  }

  "Changes to a site; only the fields given change (null clears)."
  input UpdateSiteInput {
    "Short name."
    label: String
    "Street address."
    street: String
    "City."
    city: String
    "State, province or region."
    region: String
    "Postal or ZIP code."
    postalCode: String
    "ISO 3166-1 alpha-2 country code."
    country: String
    "Latitude, -90 to 90."
    latitude: Float
    "Longitude, -180 to 180."
    longitude: Float
    "Electric utility."
    utility: String
    "Utility meter number."
    meterNumber: String
    "Roof material."
    roofType: RoofType
    "Roof pitch in degrees, 0 to 90."
    roofPitchDeg: Float
    "Roof azimuth in degrees from north, 0 to 359.9."
    roofAzimuthDeg: Float
    "Shading level."
    shading: Shading
    "Annual usage in kWh (whole number)."
    annualUsageKwh: Int
    "Average monthly bill, 0 to 1000000."
    averageMonthlyBill: Float
  }

  "A new account, optionally with its first contacts and sites."
  input CreateAccountInput {
    "Household or business."
    kind: AccountKind!
    "Display name (1–200 characters)."
    name: String!
    "Billing street address."
    billingStreet: String
    "Billing city."
    billingCity: String
    "Billing state, province or region."
    billingRegion: String
    "Billing postal or ZIP code."
    billingPostalCode: String
    "ISO 3166-1 alpha-2 country code; US when omitted."
    billingCountry: String
    "Contacts to add (the first is primary unless one is marked so); at most 20."
    contacts: [ContactInput!]
    "Sites to add; at most 20."
    sites: [SiteInput!]
  }

  "Changes to an account; only the fields given change."
  input UpdateAccountInput {
    "Household or business."
    kind: AccountKind
    "Display name (1–200 characters)."
    name: String
    "Billing street address."
    billingStreet: String
    "Billing city."
    billingCity: String
    "Billing state, province or region."
    billingRegion: String
    "Billing postal or ZIP code."
    billingPostalCode: String
    "ISO 3166-1 alpha-2 country code."
    billingCountry: String
  }

  "Who should own an account from now on: a new owner, a new owning unit, or both."
  input AssignAccountInput {
    "Member who will own the account."
    ownerId: ID
    "Org unit (team) the account will belong to."
    unitId: ID
  }

  "The result of a change to an account."
  type AccountPayload {
    "The account as stored after the change."
    account: Account!
  }

  "The result of a change to a contact."
  type ContactPayload {
    "The contact as stored after the change."
    contact: Contact!
  }

  "The result of a change to a site."
  type SitePayload {
    "The site as stored after the change."
    site: Site!
  }

  "The result of removing something."
  type RemovePayload {
    "Id of what was removed."
    deletedId: ID!
  }

  extend type Query {
    "One account by id; null when it does not exist or is not visible to the caller."
    account("Id of the account." id: ID!): Account
    "Accounts, page by page: newest first unless sorted otherwise."
    accounts(
      "Page size, 1 to 100."
      first: Int = 50
      "Cursor after which the page starts (endCursor of the previous page, same sort)."
      after: String
      "Narrows the list."
      filter: AccountFilter
      "Order of the list; newest first when omitted."
      sort: AccountSort
    ): AccountConnection!
    "One contact by id; null when it does not exist or its account is not visible to the caller."
    contact("Id of the contact." id: ID!): Contact
    "One site by id; null when it does not exist or its account is not visible to the caller."
    site("Id of the site." id: ID!): Site
  }

  extend type Mutation {
    "Create an account (with contacts and sites, in one step); the caller owns it."
    createAccount("The new account." input: CreateAccountInput!): AccountPayload!
    "Change an account's fields. An account the caller cannot see answers NOT_FOUND."
    updateAccount("Id of the account." id: ID!, "The changes." input: UpdateAccountInput!): AccountPayload!
    "Give an account, with its contacts and sites, to another owner and/or unit; outside the caller's scope answers OUT_OF_SCOPE."
    assignAccount(
      "Id of the account."
      id: ID!
      "The new owner and/or unit."
      input: AssignAccountInput!
    ): AccountPayload!
    "Add a contact to an account the caller may change."
    addContact("Id of the account." accountId: ID!, "The contact." input: ContactInput!): ContactPayload!
    "Change a contact."
    updateContact("Id of the contact." id: ID!, "The changes." input: UpdateContactInput!): ContactPayload!
    "Remove a contact from its account."
    removeContact("Id of the contact." id: ID!): RemovePayload!
    "Add a site to an account the caller may change."
    addSite("Id of the account." accountId: ID!, "The site." input: SiteInput!): SitePayload!
    "Change a site."
    updateSite("Id of the site." id: ID!, "The changes." input: UpdateSiteInput!): SitePayload!
    "Remove a site from its account."
    removeSite("Id of the site." id: ID!): RemovePayload!
  }
`;

const upperToStored = (values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

type Ctx = GraphQLContext;

export const customersGraphQL: GraphQLModule = {
  name: 'customers',
  typeDefs,
  resolvers: {
    SortDirection: { ASC: 'asc', DESC: 'desc' },
    AccountKind: upperToStored(ACCOUNT_KINDS),
    Shading: upperToStored(SHADING_LEVELS),
    RoofType: upperToStored(ROOF_TYPES),
    AccountSortField: { CREATED_AT: 'created_at', NAME: 'name' },
    Account: {
      contacts: (a: Account, _: unknown, { requestContext }: Ctx) =>
        customerLoaders(requestContext).contactsOfAccount.load(a.id),
      primaryContact: async (a: Account, _: unknown, { requestContext }: Ctx) =>
        (await customerLoaders(requestContext).contactsOfAccount.load(a.id)).find((c) => c.isPrimary) ?? null,
      sites: (a: Account, _: unknown, { requestContext }: Ctx) =>
        customerLoaders(requestContext).sitesOfAccount.load(a.id),
    },
    Contact: {
      account: (c: Contact, _: unknown, { requestContext }: Ctx) =>
        customerLoaders(requestContext).account.load(c.accountId),
    },
    Site: {
      account: (s: Site, _: unknown, { requestContext }: Ctx) =>
        customerLoaders(requestContext).account.load(s.accountId),
    },
    Query: {
      account: (_: unknown, a: { id: string }, { requestContext }: Ctx) => getAccount(requestContext, a.id),
      accounts: (_: unknown, a: unknown, { requestContext }: Ctx) => listAccounts(requestContext, a),
      contact: (_: unknown, a: { id: string }, { requestContext }: Ctx) => getContact(requestContext, a.id),
      site: (_: unknown, a: { id: string }, { requestContext }: Ctx) => getSite(requestContext, a.id),
    },
    Mutation: {
      createAccount: async (_: unknown, a: { input: unknown }, { requestContext }: Ctx) => ({
        account: await createAccount(requestContext, a.input),
      }),
      updateAccount: async (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) => ({
        account: await updateAccount(requestContext, a.id, a.input),
      }),
      assignAccount: async (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) => ({
        account: await assignAccount(requestContext, a.id, a.input),
      }),
      addContact: async (_: unknown, a: { accountId: string; input: unknown }, { requestContext }: Ctx) => ({
        contact: await addContact(requestContext, a.accountId, a.input),
      }),
      updateContact: async (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) => ({
        contact: await updateContact(requestContext, a.id, a.input),
      }),
      removeContact: async (_: unknown, a: { id: string }, { requestContext }: Ctx) => ({
        deletedId: await removeContact(requestContext, a.id),
      }),
      addSite: async (_: unknown, a: { accountId: string; input: unknown }, { requestContext }: Ctx) => ({
        site: await addSite(requestContext, a.accountId, a.input),
      }),
      updateSite: async (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) => ({
        site: await updateSite(requestContext, a.id, a.input),
      }),
      removeSite: async (_: unknown, a: { id: string }, { requestContext }: Ctx) => ({
        deletedId: await removeSite(requestContext, a.id),
      }),
    },
  },
};
