import { z } from 'zod';
import { SUBJECT_TYPES } from './record-links.js';

/**
 * What the opportunity, customer, pipeline and proposal pages accept from the tenant API (checked, like
 * lib/server/*-schemas). The shapes several answers share live here, once; this file is safe for the browser too.
 */
export const pipelineStageSchema = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  kind: z.enum(['OPEN', 'WON', 'LOST']),
});

/** The record an activity (or task) is on. */
export const onRecord = {
  subjectType: z.enum(SUBJECT_TYPES),
  subjectId: z.string(),
  subjectName: z.string(),
  /** a contact's or site's account, a proposal's opportunity */
  parentId: z.string().nullable(),
};

export const activitySchema = z.object({
  id: z.string(),
  ...onRecord,
  kind: z.enum(['CALL', 'EMAIL', 'MEETING', 'NOTE', 'TASK']),
  title: z.string().nullable(),
  body: z.string().nullable(),
  callOutcome: z.string().nullable(),
  durationSeconds: z.number().int().nullable(),
  emailDirection: z.string().nullable(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  done: z.boolean(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
});
export type Activity = z.output<typeof activitySchema>;

const timeline = z.object({
  totalCount: z.number().int(),
  edges: z.array(z.object({ node: activitySchema })),
});

export const PROPOSAL_STATUSES = ['DRAFT', 'SENT', 'ACCEPTED', 'REJECTED', 'EXPIRED'] as const;
export const PROPOSAL_ACTIONS = ['SEND', 'ACCEPT', 'REJECT', 'EXPIRE'] as const;

export const proposalSummarySchema = z.object({
  id: z.string(),
  version: z.number().int(),
  status: z.enum(PROPOSAL_STATUSES),
  frozen: z.boolean(),
  allowedActions: z.array(z.enum(PROPOSAL_ACTIONS)),
  supersededByVersion: z.number().int().nullable(),
  validUntil: z.string(),
  sentAt: z.string().nullable(),
  decidedAt: z.string().nullable(),
  systemKwDc: z.number(),
  systemKwAc: z.number(),
  annualKwh: z.number(),
  productionSource: z.string(),
  createdAt: z.string(),
  price: z.object({ contractPrice: z.number(), netCost: z.number(), grossPerWatt: z.number() }),
  financing: z.array(
    z.object({ kind: z.string(), label: z.string(), monthlyPayment: z.number().nullable() }),
  ),
});
export type ProposalSummary = z.output<typeof proposalSummarySchema>;

export const siteSummarySchema = z.object({
  id: z.string(),
  label: z.string(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  roofPitchDeg: z.number().nullable(),
  roofAzimuthDeg: z.number().nullable(),
  annualUsageKwh: z.number().int().nullable(),
});
export type SiteSummary = z.output<typeof siteSummarySchema>;

/** An opportunity as a pipeline card shows it. */
export const opportunityCardSchema = z.object({
  id: z.string(),
  name: z.string(),
  amount: z.number().nullable(),
  systemSizeKw: z.number().nullable(),
  probability: z.number().int(),
  expectedCloseDate: z.string().nullable(),
  ownerId: z.string().nullable(),
  stage: z.object({ id: z.string() }),
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
});

export const opportunityDetailSchema = z.object({
  pipelineStages: z.array(pipelineStageSchema),
  opportunity: opportunityCardSchema
    .extend({
      weightedAmount: z.number().nullable(),
      lostReason: z.string().nullable(),
      closedAt: z.string().nullable(),
      unitId: z.string().nullable(),
      createdAt: z.string(),
      updatedAt: z.string(),
      site: siteSummarySchema.nullable(),
      lead: z.object({ id: z.string() }).nullable(),
      stageHistory: z.array(
        z.object({
          id: z.string(),
          fromStage: z.object({ id: z.string() }).nullable(),
          toStage: z.object({ id: z.string() }),
          reason: z.string().nullable(),
          changedBy: z.string().nullable(),
          changedAt: z.string(),
        }),
      ),
    })
    .nullable(),
  proposals: z.array(proposalSummarySchema),
  timeline,
});
export type OpportunityDetail = NonNullable<z.output<typeof opportunityDetailSchema>['opportunity']>;

export const recordActivitySchema = z.object({ timeline });
/** The answer of proposalsOfOpportunitiesQuery: p0, p1, … */
export const proposalsOfOpportunitiesSchema = z.record(z.string(), z.array(proposalSummarySchema));
