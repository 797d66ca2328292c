import { z } from 'zod';
import { proposalSummarySchema, siteSummarySchema } from '../sales/opportunity-schemas.js';

/** What the proposal pages accept from the tenant API. */
const stage = z.object({
  id: z.string(),
  name: z.string(),
  position: z.number().int(),
  probability: z.number().int(),
  kind: z.enum(['OPEN', 'WON', 'LOST']),
});

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

const opportunityForProposal = z.object({
  id: z.string(),
  name: z.string(),
  stage: z.object({ id: z.string() }),
  account: z.object({ id: z.string(), name: z.string() }).nullable(),
  site: siteSummarySchema.nullable(),
});

export const proposalDataSchema = z.object({
  pipelineStages: z.array(stage),
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
          site: z
            .object({
              street: z.string().nullable(),
              city: z.string().nullable(),
              region: z.string().nullable(),
              postalCode: z.string().nullable(),
            })
            .nullable(),
        })
        .nullable(),
    })
    .nullable(),
});
