import type { GraphQLContext, GraphQLModule } from '../../engine/graphql/context.js';
import { getOpportunity } from '../opportunities/opportunity-service.js';
import type { FinancingResult } from './financing.js';
import type { CatalogueItem } from './proposal-schema.js';
import type { Proposal } from './proposal-repository.js';
import { priceInDollars } from './pricing.js';
import {
  actOnProposal,
  createProposal,
  equipmentCatalogue,
  getProposal,
  listProposals,
  newProposalVersion,
  updateProposal,
} from './proposal-service.js';
import { saveEquipmentItem, setEquipmentItemActive } from './equipment-catalogue.js';
import { allowedActions, effectiveStatus, isFrozen } from './proposal-status.js';

const typeDefs = /* GraphQL */ `
  "What a catalogue item is."
  enum EquipmentKind {
    "A PV module (panel)."
    MODULE
    "A string, hybrid or micro inverter."
    INVERTER
    "A home battery."
    BATTERY
    "A DC optimizer."
    OPTIMIZER
    "Racking and mounting."
    RACKING
  }

  "One piece of equipment the workspace sells, with its cost and price."
  type EquipmentItem {
    "Catalogue id, referenced by design lines."
    id: ID!
    "Module, inverter, battery, optimizer or racking."
    kind: EquipmentKind!
    "Maker, e.g. Enphase."
    manufacturer: String!
    "Model, e.g. IQ8M."
    model: String!
    "What the installer pays per unit, in dollars."
    unitCost: Float!
    "What the customer is charged per unit when priced by line item, in dollars."
    unitPrice: Float!
    "Counts toward the federal tax credit basis."
    itcEligible: Boolean!
    "Module nameplate watts (modules, optimizers)."
    watts: Int
    "Continuous AC output in kW (inverters)."
    acKw: Float
    "string, micro or hybrid (inverters)."
    inverterType: String
    "Usable energy in kWh (batteries)."
    kwh: Float
    "Power in kW (batteries)."
    powerKw: Float
    "Modules one microinverter serves (microinverters)."
    modulesPerUnit: Int
    "Offered in new designs; false once retired (proposals that used it keep their copy)."
    active: Boolean!
  }

  "An item to add to the catalogue, or the new values of one in it. Money in dollars; give the ratings of its kind."
  input EquipmentItemInput {
    "Id of the item to change; omit to add one (its id is made from maker and model)."
    id: ID
    "Module, inverter, battery, optimizer or racking (an item keeps its kind)."
    kind: EquipmentKind!
    "Maker (1–100 characters)."
    manufacturer: String!
    "Model (1–100 characters)."
    model: String!
    "What the installer pays per unit, in dollars."
    unitCost: Float!
    "What the customer is charged per unit, in dollars."
    unitPrice: Float!
    "Counts toward the federal tax credit basis (true when omitted)."
    itcEligible: Boolean
    "Nameplate watts (modules; optional for optimizers)."
    watts: Int
    "string, micro or hybrid (inverters)."
    inverterType: String
    "Continuous AC output in kW (inverters)."
    acKw: Float
    "Modules one microinverter serves, 1–4 (1 when omitted)."
    modulesPerUnit: Int
    "Usable energy in kWh (batteries)."
    kwh: Float
    "Power in kW (batteries)."
    powerKw: Float
  }

  "Where a proposal version is in its life."
  enum ProposalStatus {
    "Being prepared; the only editable status."
    DRAFT
    "Given to the customer; awaiting their decision."
    SENT
    "The customer accepted it. Final."
    ACCEPTED
    "The customer declined it. Final."
    REJECTED
    "Sent but not decided before its validity date. Final."
    EXPIRED
  }

  "What can be done to a proposal version now."
  enum ProposalAction {
    "Send the draft to the customer."
    SEND
    "Record the customer's acceptance."
    ACCEPT
    "Record the customer's refusal."
    REJECT
    "Record that it lapsed."
    EXPIRE
  }

  "The price of a proposal from gross to net, in dollars."
  type ProposalPrice {
    "System price before adders (per watt or by line items)."
    systemPrice: Float!
    "Sum of the adders (panel upgrade, trenching …)."
    adders: Float!
    "System price plus adders."
    gross: Float!
    "Sum of the discounts."
    discounts: Float!
    "Gross minus discounts."
    subtotal: Float!
    "Sales tax."
    tax: Float!
    "What the customer signs for: subtotal plus tax."
    contractPrice: Float!
    "Point-of-sale rebates."
    rebates: Float!
    "Federal investment tax credit."
    federalTaxCredit: Float!
    "Contract price minus rebates and the tax credit."
    netCost: Float!
    "Gross price per DC watt."
    grossPerWatt: Float!
    "Net cost per DC watt."
    netPerWatt: Float!
  }

  "One way to pay for the system, with what it costs and saves."
  type ProposalFinancingOption {
    "cash, loan, lease or ppa."
    kind: String!
    "Name shown to the customer."
    label: String!
    "Paid at signing, in dollars."
    upfront: Float!
    "Loan principal in dollars (after any dealer fee); null for other kinds."
    amountFinanced: Float
    "Loan APR as a decimal (0.0699 = 6.99 %); null for other kinds."
    apr: Float
    "Loan term in months; null for other kinds."
    termMonths: Int
    "First-year monthly payment in dollars (loan amortisation, lease, average PPA bill); null for cash."
    monthlyPayment: Float
    "Loan with a paydown: the re-amortised monthly payment after it."
    monthlyPaymentAfterPaydown: Float
    "First year from which cumulative savings stay positive; 0 if never negative; null if not within the analysis."
    paybackYear: Int
    "Payback in years, interpolated, 1 decimal."
    paybackYears: Float
    "Cumulative net savings over the analysis period (25 years by default), in dollars."
    lifetimeSavings: Float!
    "Everything paid over the analysis period, in dollars."
    totalPayments: Float!
  }

  "One version of the proposal for an opportunity: the system, its production, price and financing."
  type Proposal {
    "Stable id of this version."
    id: ID!
    "The opportunity it is for."
    opportunity: Opportunity
    "Version number, from 1."
    version: Int!
    "Status as of now (a sent version past its validity reads EXPIRED)."
    status: ProposalStatus!
    "What can be done now; empty once superseded or final."
    allowedActions: [ProposalAction!]!
    "True once sent, decided or superseded: what the customer saw never changes."
    frozen: Boolean!
    "The version that replaced this one, if any."
    supersededByVersion: Int
    "Last valid moment of the offer."
    validUntil: DateTime!
    "When it was sent."
    sentAt: DateTime
    "When the customer decided (or it expired)."
    decidedAt: DateTime
    "System size in kW DC (module nameplate)."
    systemKwDc: Float!
    "System size in kW AC (inverter rating)."
    systemKwAc: Float!
    "Number of modules."
    moduleCount: Int!
    "Usable battery storage in kWh."
    batteryKwh: Float!
    "Estimated first-year AC production in kWh."
    annualKwh: Float!
    "Where the production figure came from: 'pvwatts-v8' (NREL simulation) or 'offline-estimate' (coarse model)."
    productionSource: String!
    "Assumptions behind the production figure."
    productionAssumptions: [String!]!
    "First-year production ÷ yearly usage."
    usageOffsetRatio: Float
    "The price breakdown."
    price: ProposalPrice!
    "Each financing option offered."
    financing: [ProposalFinancingOption!]!
    "Years the savings are projected over."
    analysisYears: Int!
    "Things the designer should review."
    warnings: [String!]!
    "The stored inputs (design, pricing, incentives, utility, financing, analysis, location, catalogue items, production)."
    inputs: JSONObject!
    "Who created this version."
    createdBy: ID
    "When this version was created."
    createdAt: DateTime!
    "When it last changed."
    updatedAt: DateTime!
  }

  "The inputs of a proposal version, each validated field by field (see the proposal engine's schema)."
  input ProposalInput {
    "System design: lines [{catalogueItemId, quantity}], tilt, azimuth, lossesRate, arrayType, moduleType."
    design: JSONObject!
    "Pricing: method (per_watt or line_items), adders, discounts, tax."
    pricing: JSONObject!
    "Incentives: federalItcRate and rebates."
    incentives: JSONObject
    "Utility: annualUsageKwh, rateCentsPerKwh, escalation, self-consumption and export credit."
    utility: JSONObject!
    "Financing options: cash, loan, lease, ppa (1 to 10)."
    financing: [JSONObject!]!
    "Analysis: years and moduleDegradationRate."
    analysis: JSONObject
    "Array location {lat, lon}; the opportunity site's coordinates when omitted."
    location: JSONObject
    "Offer validity; 30 days from now when omitted."
    validUntil: DateTime
  }

  "The result of a change to a proposal."
  type ProposalPayload {
    "The proposal version as stored after the change."
    proposal: Proposal!
  }

  extend type Query {
    "The workspace's active equipment, optionally of one kind."
    equipmentCatalogue(
      "Only this kind."
      kind: EquipmentKind
      "Retired items too (for the catalogue's own screen)."
      includeRetired: Boolean = false
    ): [EquipmentItem!]!
    "One proposal version by id; null when it does not exist or its opportunity is not visible."
    proposal("Id of the proposal version." id: ID!): Proposal
    "Every version of an opportunity's proposal, newest first; empty when the opportunity is not visible."
    proposals("Id of the opportunity." opportunityId: ID!): [Proposal!]!
  }

  extend type Mutation {
    "Create version 1 of an opportunity's proposal, as a draft, computed from the inputs."
    createProposal(
      "The opportunity (the caller must be allowed to update it)."
      opportunityId: ID!
      "The inputs."
      input: ProposalInput!
    ): ProposalPayload!
    "Replace a draft's inputs and recompute it; anything else answers CONFLICT."
    updateProposal(
      "Id of the draft version."
      id: ID!
      "The new inputs."
      input: ProposalInput!
    ): ProposalPayload!
    "Send a draft to the customer."
    sendProposal("Id of the version." id: ID!): ProposalPayload!
    "Record that the customer accepted a sent version."
    acceptProposal("Id of the version." id: ID!): ProposalPayload!
    "Record that the customer declined a sent version."
    rejectProposal("Id of the version." id: ID!): ProposalPayload!
    "Add an item to the equipment catalogue, or change one (administrators)."
    saveEquipmentItem("The item." input: EquipmentItemInput!): EquipmentItem!
    "Retire an item (no longer offered in new designs) or offer it again (administrators)."
    setEquipmentItemActive("Id of the item." id: ID!, "false retires it." active: Boolean!): EquipmentItem!
    "Start the next version as a draft (from the given inputs, or a copy of this version's); earlier versions are superseded and frozen."
    newProposalVersion(
      "Id of any version of the proposal."
      id: ID!
      "Inputs of the new version; copied when omitted."
      input: ProposalInput
    ): ProposalPayload!
  }
`;

type Ctx = GraphQLContext;
/** One catalogue item as stored now, retired or not. */
const catalogueItem = async (rc: Ctx['requestContext'], id: string) =>
  (await equipmentCatalogue(rc, undefined, true)).find((i) => i.id === id)!;
const dollars = (cents: number) => cents / 100;
const orNull = (cents: number | null) => (cents === null ? null : cents / 100);
const payload = async (p: Promise<Proposal>) => ({ proposal: await p });
/** GraphQL leaves absent optional input fields out; zod defaults need them undefined, not null. */
const dropNulls = (input: unknown) =>
  input && typeof input === 'object'
    ? Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null))
    : input;

export const proposalsGraphQL: GraphQLModule = {
  name: 'proposals',
  typeDefs,
  resolvers: {
    EquipmentKind: {
      MODULE: 'module',
      INVERTER: 'inverter',
      BATTERY: 'battery',
      OPTIMIZER: 'optimizer',
      RACKING: 'racking',
    },
    ProposalStatus: {
      DRAFT: 'draft',
      SENT: 'sent',
      ACCEPTED: 'accepted',
      REJECTED: 'rejected',
      EXPIRED: 'expired',
    },
    ProposalAction: { SEND: 'send', ACCEPT: 'accept', REJECT: 'reject', EXPIRE: 'expire' },
    EquipmentItem: {
      unitCost: (i: CatalogueItem) => dollars(i.unitCostCents),
      unitPrice: (i: CatalogueItem) => dollars(i.unitPriceCents),
      watts: (i: CatalogueItem) => ('watts' in i ? (i.watts ?? null) : null),
      acKw: (i: CatalogueItem) => (i.kind === 'inverter' ? i.acKw : null),
      inverterType: (i: CatalogueItem) => (i.kind === 'inverter' ? i.inverterType : null),
      kwh: (i: CatalogueItem) => (i.kind === 'battery' ? i.kwh : null),
      powerKw: (i: CatalogueItem) => (i.kind === 'battery' ? (i.powerKw ?? null) : null),
      modulesPerUnit: (i: CatalogueItem) => (i.kind === 'inverter' ? i.modulesPerUnit : null),
      // a proposal's stored copy of an item carries no flag: it is shown as it was offered
      active: (i: CatalogueItem & { active?: boolean }) => i.active ?? true,
    },
    Proposal: {
      opportunity: (p: Proposal, _: unknown, { requestContext }: Ctx) =>
        getOpportunity(requestContext, p.opportunityId),
      status: (p: Proposal) => effectiveStatus(p, new Date()),
      allowedActions: (p: Proposal) => allowedActions(p, new Date()),
      frozen: (p: Proposal) => isFrozen(p),
      supersededByVersion: (p: Proposal) => p.supersededBy,
      systemKwDc: (p: Proposal) => p.result.system.kwDc,
      systemKwAc: (p: Proposal) => p.result.system.kwAc,
      moduleCount: (p: Proposal) => p.result.system.moduleCount,
      batteryKwh: (p: Proposal) => p.result.system.batteryKwh,
      annualKwh: (p: Proposal) => p.result.production.acAnnualKwh,
      productionSource: (p: Proposal) => p.result.production.source,
      productionAssumptions: (p: Proposal) => p.result.production.assumptions,
      usageOffsetRatio: (p: Proposal) => p.result.production.usageOffsetRatio,
      price: (p: Proposal) => priceInDollars(p.result.pricing),
      financing: (p: Proposal) =>
        p.result.financing.map((f: FinancingResult) => ({
          kind: f.kind,
          label: f.label,
          upfront: dollars(f.upfrontCents),
          amountFinanced: orNull(f.amountFinancedCents),
          apr: f.apr,
          termMonths: f.termMonths,
          monthlyPayment: orNull(f.monthlyPaymentCents),
          monthlyPaymentAfterPaydown: orNull(f.monthlyPaymentAfterPaydownCents),
          paybackYear: f.paybackYear,
          paybackYears: f.paybackYears,
          lifetimeSavings: dollars(f.netSavingsCents),
          totalPayments: dollars(f.totalPaymentsCents),
        })),
      analysisYears: (p: Proposal) => p.result.analysis.years,
      warnings: (p: Proposal) => p.result.warnings,
      inputs: (p: Proposal) => p.input,
    },
    Query: {
      equipmentCatalogue: (
        _: unknown,
        a: { kind?: string | null; includeRetired?: boolean | null },
        { requestContext }: Ctx,
      ) => equipmentCatalogue(requestContext, a.kind, a.includeRetired ?? false),
      proposal: (_: unknown, a: { id: string }, { requestContext }: Ctx) => getProposal(requestContext, a.id),
      proposals: (_: unknown, a: { opportunityId: string }, { requestContext }: Ctx) =>
        listProposals(requestContext, a.opportunityId),
    },
    Mutation: {
      saveEquipmentItem: async (_: unknown, a: { input: unknown }, { requestContext }: Ctx) =>
        catalogueItem(requestContext, await saveEquipmentItem(requestContext, dropNulls(a.input))),
      setEquipmentItemActive: async (
        _: unknown,
        a: { id: string; active: boolean },
        { requestContext }: Ctx,
      ) => catalogueItem(requestContext, await setEquipmentItemActive(requestContext, a.id, a.active)),
      createProposal: (_: unknown, a: { opportunityId: string; input: unknown }, { requestContext }: Ctx) =>
        payload(createProposal(requestContext, a.opportunityId, dropNulls(a.input))),
      updateProposal: (_: unknown, a: { id: string; input: unknown }, { requestContext }: Ctx) =>
        payload(updateProposal(requestContext, a.id, dropNulls(a.input))),
      sendProposal: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        payload(actOnProposal(requestContext, a.id, 'send')),
      acceptProposal: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        payload(actOnProposal(requestContext, a.id, 'accept')),
      rejectProposal: (_: unknown, a: { id: string }, { requestContext }: Ctx) =>
        payload(actOnProposal(requestContext, a.id, 'reject')),
      newProposalVersion: (_: unknown, a: { id: string; input?: unknown }, { requestContext }: Ctx) =>
        payload(newProposalVersion(requestContext, a.id, a.input == null ? null : dropNulls(a.input))),
    },
  },
};
