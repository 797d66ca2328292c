import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import {
  getLeadSettings,
  suggestedLeadSettings,
  updateLeadSettings,
  type LeadSettings,
} from '../settings/lead-settings.js';
import { JSONObjectScalar } from './json-object-scalar.js';
import { importLeads } from './lead-import.js';
import { duplicatesOf, mergeLeads } from './lead-merge.js';
import { LEAD_SOURCES, LEAD_STATUSES, type LeadRecord } from './lead-schema.js';
import {
  CREDIT_BANDS,
  OWNERSHIP,
  ROOF_ORIENTATIONS,
  ROOF_TYPES,
  SHADING_LEVELS,
} from './scoring/scoring-rules.js';
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

/** An enum whose values (upper case in GraphQL) each carry a description. */
const enumSdl = (name: string, description: string, values: Record<string, string>) =>
  `"${description}"\n  enum ${name} {\n${Object.entries(values)
    .map(([v, d]) => `    "${d}"\n    ${v.toUpperCase()}`)
    .join('\n')}\n  }`;

const intelligenceEnums = [
  enumSdl('RoofType', 'What the roof is made of.', {
    asphalt_shingle: 'Asphalt shingles.',
    metal: 'Metal (standing seam or corrugated).',
    tile: 'Clay or concrete tiles.',
    flat: 'A flat or low-slope roof.',
    slate: 'Slate.',
    wood_shake: 'Wood shakes or shingles.',
    other: 'Anything else.',
  }),
  enumSdl('RoofOrientation', 'Which way the main roof face points.', {
    south: 'South.',
    southeast: 'South-east.',
    southwest: 'South-west.',
    east: 'East.',
    west: 'West.',
    flat: 'Flat: panels can be tilted to face south.',
    north: 'North.',
  }),
  enumSdl('ShadingLevel', 'How much trees or buildings shade the roof.', {
    none: 'No shading.',
    light: 'Light shading.',
    moderate: 'Moderate shading.',
    heavy: 'Heavy shading.',
  }),
  enumSdl('CreditBand', 'Self-reported or checked credit band.', {
    excellent: 'Excellent credit.',
    good: 'Good credit.',
    fair: 'Fair credit.',
    poor: 'Poor credit.',
  }),
  enumSdl('HomeOwnership', 'Whether the lead owns the property.', {
    homeowner: 'Owns the home.',
    renter: 'Rents the home.',
  }),
  enumSdl('LeadGrade', 'The score as a letter, by the workspace thresholds.', {
    A: 'Hot: call first.',
    B: 'Warm.',
    C: 'Cool.',
    D: 'Cold, or not enough known yet.',
  }),
  enumSdl('LeadAssignmentStrategy', 'How a lead got its owner.', {
    round_robin: 'In turn among the reps of a pool.',
    load: 'To the rep with the fewest open leads.',
    territory: 'By the territory the lead falls in.',
    manual: 'Chosen by a person.',
  }),
  enumSdl('LeadMatchKind', 'A contact point two leads can share.', {
    email: 'The same mailbox (case, dots and +tags folded).',
    phone: 'The same phone number (E.164).',
    address: 'The same street address and postcode.',
  }),
  enumSdl('DuplicateRowPolicy', 'What an import does with a row repeating an earlier row of the file.', {
    skip: 'Leave the repeat out (reported in duplicatesWithinFile).',
    keep: 'Import it anyway (still reported).',
  }),
].join('\n\n');

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
    "What the roof is made of."
    roofType: RoofType
    "Age of the roof in years."
    roofAgeYears: Int
    "Which way the main roof face points."
    roofOrientation: RoofOrientation
    "How shaded the roof is."
    shading: ShadingLevel
    "Credit band, for financing."
    creditBand: CreditBand
    "Whether the lead owns the property."
    ownership: HomeOwnership
    "Latitude of the property (WGS84), for radius territories."
    latitude: Float
    "Longitude of the property (WGS84), for radius territories."
    longitude: Float
    "Lead score, 0 to 100, by the workspace scoring rules."
    score: Int
    "The score as a letter grade."
    grade: LeadGrade
    "Why the lead has its score: every rule that gave or took points, in order."
    scoreExplanation: [ScoreContribution!]!
    "Facts not known yet that could change the score (e.g. roofType, monthlyBill)."
    scoreMissingFacts: [String!]!
    "How the lead got its owner; null when its creator kept it without assignment rules."
    assignmentStrategy: LeadAssignmentStrategy
    "Why the lead went to its owner, e.g. 'Round-robin in Phoenix Sales: next after Priya Patel'."
    assignmentReason: String
    "Set when this lead was merged into another lead (it no longer appears in lists)."
    mergedIntoId: ID
    "Leads the caller can see that are probably the same person, best match first."
    duplicates: [LeadDuplicate!]!
  }

  "One rule's part in a lead's score."
  type ScoreContribution {
    "The rule that fired, e.g. source.referral or monthlyBill.150-250."
    rule: String!
    "Points it gave (negative: took)."
    points: Int!
    "The sentence a rep reads, e.g. 'Referred by a customer or friend'."
    reason: String!
  }

  "A lead that is probably the same person as another."
  type LeadDuplicate {
    "The other lead."
    lead: Lead!
    "How sure the match is, 0 to 1."
    confidence: Float!
    "The contact points both leads share."
    matchedOn: [LeadMatchKind!]!
    "Sentences explaining the match, e.g. 'Same email (jane@example.com)'."
    reasons: [String!]!
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
    "What the roof is made of."
    roofType: RoofType
    "Age of the roof in years, 0 to 150."
    roofAgeYears: Int
    "Which way the main roof face points."
    roofOrientation: RoofOrientation
    "How shaded the roof is."
    shading: ShadingLevel
    "Credit band, for financing."
    creditBand: CreditBand
    "Whether the lead owns the property."
    ownership: HomeOwnership
    "Latitude of the property (WGS84); give with longitude."
    latitude: Float
    "Longitude of the property (WGS84); give with latitude."
    longitude: Float
    "Member who will own the lead; omitted: the workspace assignment rules choose (or the creator keeps it)."
    ownerId: ID
  }

  "The result of createLead."
  type CreateLeadPayload {
    "The lead as stored: scored, and owned by its creator or the rep the assignment rules chose."
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
    "What the roof is made of."
    roofType: RoofType
    "Age of the roof in years, 0 to 150."
    roofAgeYears: Int
    "Which way the main roof face points."
    roofOrientation: RoofOrientation
    "How shaded the roof is."
    shading: ShadingLevel
    "Credit band, for financing."
    creditBand: CreditBand
    "Whether the lead owns the property."
    ownership: HomeOwnership
    "Latitude of the property (WGS84); give with longitude."
    latitude: Float
    "Longitude of the property (WGS84); give with latitude."
    longitude: Float
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

  "A reason a row of an import was rejected: the field and what is wrong with it."
  type FieldError {
    "The field (e.g. email), or _row for the row as a whole."
    field: String!
    "What is wrong, in sentences."
    messages: [String!]!
  }

  "A CSV row that was not imported."
  type RejectedImportRow {
    "Line number in the file (the header is line 1)."
    line: Int!
    "Every problem found in the row."
    errors: [FieldError!]!
  }

  "A CSV row repeating an earlier row's email or phone."
  type DuplicateImportRow {
    "Line of the repeat."
    line: Int!
    "Line of the earlier row it repeats."
    duplicateOfLine: Int!
    "What the two rows share."
    matchedOn: [LeadMatchKind!]!
  }

  "How to read an import file."
  input ImportLeadsOptions {
    "Source for rows (or files) without one."
    defaultSource: LeadSource
    "Country (ISO 3166-1 alpha-2) for rows without one; US when omitted."
    defaultCountry: String
    "What to do with a row repeating an earlier row's email or phone; SKIP when omitted."
    duplicatesWithinFile: DuplicateRowPolicy
  }

  "The result of importLeads. Either every accepted row was imported or none was."
  type ImportLeadsPayload {
    "Leads created."
    importedCount: Int!
    "Data rows read (header and blank lines not counted)."
    totalRows: Int!
    "Rows not imported because they are invalid, with the reasons."
    rejected: [RejectedImportRow!]!
    "Rows repeating an earlier row of the file."
    duplicatesWithinFile: [DuplicateImportRow!]!
    "Header names that match no lead field (their columns were ignored)."
    unknownColumns: [String!]!
  }

  "A value that did not survive a merge (kept in the audit log too)."
  type DiscardedLeadValue {
    "The lead it came from."
    leadId: ID!
    "The field, e.g. email or address."
    field: String!
    "The value, as text."
    value: String
  }

  "The result of mergeLeads."
  type MergeLeadsPayload {
    "The primary lead with the merged values."
    lead: Lead!
    "The leads merged into it (now marked merged)."
    mergedIds: [ID!]!
    "Values that differed and did not survive."
    discarded: [DiscardedLeadValue!]!
  }

  "A JSON object."
  scalar JSONObject

  "How the workspace scores and assigns new leads."
  type LeadSettings {
    "The scoring rules in force (the built-in ones until changed)."
    scoringRules: JSONObject!
    "True while the workspace uses the built-in scoring rules."
    scoringRulesAreDefault: Boolean!
    "The assignment rules; null while automatic assignment is off (creators keep their leads)."
    assignmentRules: JSONObject
    "The built-in rules, as a starting point for a settings screen."
    suggestedScoringRules: JSONObject!
    "A starting point for assignment: round-robin across all reps."
    suggestedAssignmentRules: JSONObject!
    "When the settings last changed; null if never."
    updatedAt: DateTime
    "Who changed them last."
    updatedBy: ID
  }

  "New lead settings; only the parts given change."
  input UpdateLeadSettingsInput {
    "The new scoring rules (sections left out take the built-in ones); null restores the built-in rules."
    scoringRules: JSONObject
    "The new assignment rules; null switches automatic assignment off."
    assignmentRules: JSONObject
  }

  "The result of updateLeadSettings."
  type UpdateLeadSettingsPayload {
    "The settings as stored."
    settings: LeadSettings!
  }

  extend type Query {
    "The workspace's lead scoring and assignment settings (administrators)."
    leadSettings: LeadSettings!
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
    "Import leads from CSV text; invalid rows are reported, the rest imported together or not at all."
    importLeads(
      "The file: a header row, then one lead per row."
      csv: String!
      "How to read the file."
      options: ImportLeadsOptions
    ): ImportLeadsPayload!
    "Fold duplicate leads into a primary lead; the caller must be allowed to update all of them."
    mergeLeads(
      "The lead that remains."
      primaryId: ID!
      "The leads merged into it."
      duplicateIds: [ID!]!
    ): MergeLeadsPayload!
    "Change the workspace's lead scoring and/or assignment rules (administrators)."
    updateLeadSettings("The new rules." input: UpdateLeadSettingsInput!): UpdateLeadSettingsPayload!
  }

  ${intelligenceEnums}
`;

const settingsView = (s: LeadSettings) => ({
  scoringRules: s.scoringRules,
  scoringRulesAreDefault: s.scoringIsDefault,
  assignmentRules: s.assignmentRules,
  suggestedScoringRules: suggestedLeadSettings.scoringRules,
  suggestedAssignmentRules: suggestedLeadSettings.assignmentRules,
  updatedAt: s.updatedAt,
  updatedBy: s.updatedBy,
});

const upperToStored = (values: readonly string[]) =>
  Object.fromEntries(values.map((v) => [v.toUpperCase(), v]));

export const leadsGraphQL: GraphQLModule = {
  name: 'leads',
  typeDefs,
  resolvers: {
    // GraphQL shows NEW / WEB_FORM; the rows store new / web_form
    LeadStatus: upperToStored(LEAD_STATUSES),
    LeadSource: upperToStored(LEAD_SOURCES),
    RoofType: upperToStored(ROOF_TYPES),
    RoofOrientation: upperToStored(ROOF_ORIENTATIONS),
    ShadingLevel: upperToStored(SHADING_LEVELS),
    CreditBand: upperToStored(CREDIT_BANDS),
    HomeOwnership: upperToStored(OWNERSHIP),
    LeadAssignmentStrategy: upperToStored(['round_robin', 'load', 'territory', 'manual']),
    LeadMatchKind: upperToStored(['email', 'phone', 'address']),
    DuplicateRowPolicy: upperToStored(['skip', 'keep']),
    JSONObject: JSONObjectScalar,
    Lead: {
      scoreExplanation: (lead: LeadRecord) => lead.scoreExplanation?.contributions ?? [],
      scoreMissingFacts: (lead: LeadRecord) => lead.scoreExplanation?.missing ?? [],
      duplicates: (lead: LeadRecord, _: unknown, { requestContext }: GraphQLContext) =>
        duplicatesOf(requestContext, lead),
    },
    DiscardedLeadValue: {
      value: (d: { value: unknown }) =>
        d.value === null || d.value === undefined
          ? null
          : typeof d.value === 'string'
            ? d.value
            : JSON.stringify(d.value),
    },
    Query: {
      leadSettings: async (_: unknown, __: unknown, { requestContext }: GraphQLContext) =>
        settingsView(await getLeadSettings(requestContext)),
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
      importLeads: (_: unknown, a: unknown, { requestContext }: GraphQLContext) =>
        importLeads(requestContext, a),
      mergeLeads: (_: unknown, a: unknown, { requestContext }: GraphQLContext) =>
        mergeLeads(requestContext, a),
      updateLeadSettings: async (_: unknown, a: { input: unknown }, { requestContext }: GraphQLContext) => ({
        settings: settingsView(await updateLeadSettings(requestContext, a.input)),
      }),
    },
  },
};
