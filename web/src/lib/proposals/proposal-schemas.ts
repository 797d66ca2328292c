import { z } from 'zod';
import {
  opportunityCardSchema,
  pipelineStageSchema,
  proposalSummarySchema,
  siteSummarySchema,
} from '../sales/opportunity-schemas.js';

/** What the proposal pages accept from the tenant API. */

export const catalogueItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['MODULE', 'INVERTER', 'BATTERY', 'OPTIMIZER', 'RACKING']),
  manufacturer: z.string(),
  model: z.string(),
  unitCost: z.number(),
  unitPrice: z.number(),
  itcEligible: z.boolean(),
  watts: z.number().nullable(),
  acKw: z.number().nullable(),
  inverterType: z.string().nullable(),
  kwh: z.number().nullable(),
  powerKw: z.number().nullable(),
});
export type CatalogueEntry = z.output<typeof catalogueItemSchema>;

const opportunityForProposal = opportunityCardSchema
  .pick({ id: true, name: true, stage: true, account: true })
  .extend({ site: siteSummarySchema.nullable() });

export const proposalDataSchema = z.object({
  pipelineStages: z.array(pipelineStageSchema),
  equipmentCatalogue: z.array(catalogueItemSchema),
  proposal: proposalSummarySchema
    .extend({
      inputs: z.record(z.string(), z.unknown()),
      warnings: z.array(z.string()),
      productionAssumptions: z.array(z.string()),
      opportunity: opportunityForProposal.nullable(),
    })
    .nullable(),
});

export const newProposalDataSchema = z.object({
  equipmentCatalogue: z.array(catalogueItemSchema),
  opportunity: opportunityForProposal.nullable(),
  proposals: z.array(z.object({ id: z.string(), version: z.number().int() })),
});

export const printProposalDataSchema = z.object({
  proposal: z
    .object({
      id: z.string(),
      version: z.number().int(),
      createdAt: z.string(),
      sentAt: z.string().nullable(),
      validUntil: z.string(),
      inputs: z.record(z.string(), z.unknown()),
      opportunity: z
        .object({
          name: z.string(),
          account: z.object({ name: z.string() }).nullable(),
          site: siteSummarySchema
            .pick({ street: true, city: true, region: true, postalCode: true })
            .nullable(),
        })
        .nullable(),
    })
    .nullable(),
});
