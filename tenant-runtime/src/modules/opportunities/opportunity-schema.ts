import { z } from 'zod';
import { connectionArgsSchema } from '../../engine/graphql/connection.js';
import { optionalText, requiredText } from '../../engine/validation/fields.js';

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

const id = (what: string) => z.uuid(`Must be ${what} id`);
/** Money in the workspace currency, stored as integer cents; up to 1 billion. */
export const amount = z
  .number()
  .min(0, 'Must be at least 0')
  .max(1_000_000_000, 'Must be at most 1000000000')
  .transform((v) => Math.round(v * 100));
const systemSizeKw = z.number().gt(0, 'Must be more than 0 kW').max(100_000, 'Must be at most 100000 kW');
const probability = z.number().int('Must be a whole percentage').min(0, 'At least 0').max(100, 'At most 100');
/** A calendar date, YYYY-MM-DD, that exists. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Must be a date like 2026-12-31')
  .refine(
    (v) =>
      !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
    'Must be a real calendar date',
  );

export const createOpportunityInputSchema = z.object({
  name: requiredText(200),
  accountId: id('an account'),
  siteId: id('a site').nullish(),
  leadId: id('a lead').nullish(),
  stageId: z.string().max(64).nullish(),
  amount: amount.nullish(),
  systemSizeKw: systemSizeKw.nullish(),
  probability: probability.nullish(),
  expectedCloseDate: isoDate.nullish(),
});
export type CreateOpportunityInput = z.output<typeof createOpportunityInputSchema>;

/** Fields edited in place; the stage changes only through moveOpportunity / markWon / markLost. */
export const updateOpportunityInputSchema = z
  .object({
    name: requiredText(200).optional(),
    siteId: id('a site').nullable().optional(),
    amount: amount.nullable().optional(),
    systemSizeKw: systemSizeKw.nullable().optional(),
    probability: probability.optional(),
    expectedCloseDate: isoDate.nullable().optional(),
    ownerId: id('a member').optional(),
    unitId: id('an org unit').optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateOpportunityInput = z.output<typeof updateOpportunityInputSchema>;

export const lostReasonSchema = requiredText(500);

export const OPPORTUNITY_SORT_FIELDS = ['created_at', 'expected_close', 'amount', 'name'] as const;

export const opportunityFilterSchema = z
  .object({
    stageId: z.array(z.string().max(64)).max(50).nullish(),
    ownerId: z.array(id('a member')).max(50).nullish(),
    accountId: id('an account').nullish(),
    closingBefore: isoDate.nullish(),
    closingAfter: isoDate.nullish(),
    open: z.boolean().nullish(),
    search: z.string().trim().max(100, 'At most 100 characters').nullish(),
  })
  .nullish();
export type OpportunityFilter = z.output<typeof opportunityFilterSchema>;

export const listOpportunitiesArgsSchema = connectionArgsSchema.extend({
  filter: opportunityFilterSchema,
  sort: z
    .object({
      field: z.enum(OPPORTUNITY_SORT_FIELDS),
      direction: z
        .enum(['asc', 'desc'])
        .nullish()
        .transform((v) => v ?? 'asc'),
    })
    .nullish(),
});

export const createStageInputSchema = z.object({
  name: requiredText(100),
  probability,
  /** 1-based position among the stages; appended before won/lost when omitted */
  position: z.number().int().min(1, 'At least 1').nullish(),
});
export const updateStageInputSchema = z
  .object({ name: requiredText(100).optional(), probability: probability.optional() })
  .refine((v) => v.name !== undefined || v.probability !== undefined, 'Change the name or the probability');
export const reorderStagesInputSchema = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(50)
  .refine((ids) => new Set(ids).size === ids.length, 'Each stage once');

export const convertLeadInputSchema = z.object({
  leadId: id('a lead'),
  accountName: optionalText(200),
  opportunityName: optionalText(200),
  amount: amount.nullish(),
});
export type ConvertLeadInput = z.output<typeof convertLeadInputSchema>;

export interface PipelineStage {
  id: string;
  name: string;
  position: number;
  probability: number;
  kind: StageKind;
}

export interface Opportunity {
  id: string;
  name: string;
  accountId: string;
  siteId: string | null;
  leadId: string | null;
  stageId: string;
  amount: number | null;
  systemSizeKw: number | null;
  probability: number;
  expectedCloseDate: string | null;
  lostReason: string | null;
  closedAt: Date | null;
  ownerId: string | null;
  unitId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface StageChange {
  id: string;
  opportunityId: string;
  fromStageId: string | null;
  toStageId: string;
  reason: string | null;
  changedBy: string | null;
  changedAt: Date;
}
