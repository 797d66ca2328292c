import { NotFound } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import { iso, isoOrNull } from '../../engine/rest/rest-schemas.js';
import { priceInDollars } from './pricing.js';
import type { Proposal } from './proposal-repository.js';
import {
  actOnProposal,
  createProposal,
  getProposal,
  listProposals,
  newProposalVersion,
  proposalDraftSchema,
  updateProposal,
} from './proposal-service.js';
import { allowedActions, effectiveStatus, isFrozen, PROPOSAL_STATUSES } from './proposal-status.js';

const dollars = (cents: number) => cents / 100;
const orNull = (cents: number | null) => (cents === null ? null : cents / 100);

const money = (what: string) => z.number().describe(`${what}, in dollars`);

/** A proposal version as REST shows it: its place in the status machine and the computed figures. */
export const proposalResourceSchema = z.object({
  id: z.uuid(),
  opportunityId: z.uuid(),
  version: z.number().int(),
  status: z.enum(PROPOSAL_STATUSES).describe('Sent proposals past validUntil show as expired'),
  allowedActions: z.array(z.enum(['send', 'accept', 'reject', 'expire'])),
  frozen: z.boolean().describe('Sent, decided or superseded: its inputs can no longer change'),
  supersededByVersion: z.number().int().nullable(),
  validUntil: z.iso.datetime(),
  sentAt: z.iso.datetime().nullable(),
  decidedAt: z.iso.datetime().nullable(),
  figures: z.object({
    systemKwDc: z.number(),
    systemKwAc: z.number(),
    moduleCount: z.number().int(),
    batteryKwh: z.number(),
    annualKwh: z.number().describe('First-year AC production'),
    productionSource: z.enum(['pvwatts-v8', 'offline-estimate']),
    usageOffsetRatio: z.number().nullable(),
    price: z.object({
      systemPrice: money('Before adders'),
      adders: money('Adders'),
      gross: money('System price plus adders'),
      discounts: money('Discounts'),
      subtotal: money('After discounts, before tax'),
      tax: money('Sales tax'),
      contractPrice: money('What the customer signs for'),
      rebates: money('Rebates'),
      federalTaxCredit: money('Federal ITC'),
      netCost: money('After rebates and the ITC'),
      grossPerWatt: z.number(),
      netPerWatt: z.number(),
    }),
    financing: z.array(
      z.object({
        kind: z.enum(['cash', 'loan', 'lease', 'ppa']),
        label: z.string(),
        upfront: money('Paid at signing'),
        amountFinanced: z.number().nullable(),
        apr: z.number().nullable(),
        termMonths: z.number().int().nullable(),
        monthlyPayment: z.number().nullable().describe('First-year monthly payment, in dollars'),
        paybackYear: z.number().int().nullable(),
        paybackYears: z.number().nullable(),
        lifetimeSavings: money('Cumulative cash flow at the end of the analysis'),
        totalPayments: money('All payments over the analysis'),
      }),
    ),
    analysisYears: z.number().int(),
    warnings: z.array(z.string()),
  }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ProposalResource = z.output<typeof proposalResourceSchema>;

export function toProposalResource(p: Proposal, now = new Date()): ProposalResource {
  const r = p.result;
  return {
    id: p.id,
    opportunityId: p.opportunityId,
    version: p.version,
    status: effectiveStatus(p, now),
    allowedActions: allowedActions(p, now),
    frozen: isFrozen(p),
    supersededByVersion: p.supersededBy,
    validUntil: iso(p.validUntil),
    sentAt: isoOrNull(p.sentAt),
    decidedAt: isoOrNull(p.decidedAt),
    figures: {
      systemKwDc: r.system.kwDc,
      systemKwAc: r.system.kwAc,
      moduleCount: r.system.moduleCount,
      batteryKwh: r.system.batteryKwh,
      annualKwh: r.production.acAnnualKwh,
      productionSource: r.production.source,
      usageOffsetRatio: r.production.usageOffsetRatio,
      price: priceInDollars(r.pricing),
      financing: r.financing.map((f) => ({
        kind: f.kind,
        label: f.label,
        upfront: dollars(f.upfrontCents),
        amountFinanced: orNull(f.amountFinancedCents),
        apr: f.apr,
        termMonths: f.termMonths,
        monthlyPayment: orNull(f.monthlyPaymentCents),
        paybackYear: f.paybackYear,
        paybackYears: f.paybackYears,
        lifetimeSavings: dollars(f.netSavingsCents),
        totalPayments: dollars(f.totalPaymentsCents),
      })),
      analysisYears: r.analysis.years,
      warnings: r.warnings,
    },
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

async function found(rc: RequestContext, id: string): Promise<ProposalResource | null> {
  const p = await getProposal(rc, id);
  return p ? toProposalResource(p) : null;
}

const nextVersionBodySchema = z.object({
  input: proposalDraftSchema.optional().describe('New inputs; a copy of this version’s when omitted'),
});

const statusBodySchema = z.object({
  action: z.enum(['send', 'accept', 'reject'], 'Must be send, accept or reject'),
});

/**
 * /api/v1/proposals: versions of an opportunity's proposal. A proposal is visible exactly when its
 * opportunity is; writing needs the update right on the opportunity (proposal-service).
 */
export const proposalRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/opportunities/{id}/proposals',
    operationId: 'listProposals',
    tag: 'Proposals',
    summary: 'Every version of the opportunity’s proposal, newest first',
    response: z.object({ data: z.array(proposalResourceSchema) }),
    responseName: 'ProposalList',
    async handle(rc, { params }) {
      return { data: (await listProposals(rc, params.id!)).map((p) => toProposalResource(p)) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/opportunities/{id}/proposals',
    operationId: 'createProposal',
    tag: 'Proposals',
    summary: 'Version 1 of the opportunity’s proposal, as a draft, computed from the inputs',
    body: proposalDraftSchema,
    response: proposalResourceSchema,
    responseName: 'Proposal',
    status: 201,
    async handle(rc, { params, body }) {
      return toProposalResource(await createProposal(rc, params.id!, body));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/proposals/{id}',
    operationId: 'getProposal',
    tag: 'Proposals',
    summary: 'One proposal version with its computed figures',
    response: proposalResourceSchema,
    responseName: 'Proposal',
    async handle(rc, { params }) {
      const p = await found(rc, params.id!);
      if (!p) throw new NotFound('No such proposal');
      return p;
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/proposals/{id}',
    operationId: 'updateProposal',
    tag: 'Proposals',
    summary: 'Replace a draft’s inputs and recompute it (anything sent or decided answers 409)',
    body: proposalDraftSchema,
    response: proposalResourceSchema,
    responseName: 'Proposal',
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params, body }) {
      return toProposalResource(await updateProposal(rc, params.id!, body));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/proposals/{id}/versions',
    operationId: 'createProposalVersion',
    tag: 'Proposals',
    summary: 'Start the next version (from these inputs, or a copy of this version’s); earlier ones freeze',
    body: nextVersionBodySchema,
    response: proposalResourceSchema,
    responseName: 'Proposal',
    status: 201,
    async handle(rc, { params, body }) {
      const { input } = body as { input?: unknown };
      return toProposalResource(await newProposalVersion(rc, params.id!, input ?? null));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/proposals/{id}/status',
    operationId: 'changeProposalStatus',
    tag: 'Proposals',
    summary: 'send, accept or reject (draft → sent → accepted/rejected; refusals answer 409)',
    body: statusBodySchema,
    response: proposalResourceSchema,
    responseName: 'Proposal',
    async handle(rc, { params, body }) {
      const { action } = body as z.output<typeof statusBodySchema>;
      return toProposalResource(await actOnProposal(rc, params.id!, action));
    },
  }),
];
