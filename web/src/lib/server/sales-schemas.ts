import { z } from 'zod';
import {
  opportunityCardSchema,
  pipelineStageSchema,
  siteSummarySchema,
} from '../sales/opportunity-schemas.js';

/** What the pipeline and customer load functions accept from the tenant API (checked, like lead-schemas). */

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const pipelineDataSchema = z.object({
  pipelineStages: z.array(pipelineStageSchema),
  opportunities: z.object({
    totalCount: z.number().int(),
    pageInfo,
    edges: z.array(z.object({ node: opportunityCardSchema })),
  }),
});

export const ACCOUNT_KINDS = ['RESIDENTIAL', 'COMMERCIAL'] as const;

export const accountsDataSchema = z.object({
  accounts: z.object({
    totalCount: z.number().int(),
    pageInfo,
    edges: z.array(
      z.object({
        node: z.object({
          id: z.string(),
          kind: z.enum(ACCOUNT_KINDS),
          name: z.string(),
          billingCity: z.string().nullable(),
          billingRegion: z.string().nullable(),
          ownerId: z.string().nullable(),
          createdAt: z.string(),
          primaryContact: z
            .object({ fullName: z.string(), email: z.string().nullable(), phone: z.string().nullable() })
            .nullable(),
        }),
      }),
    ),
  }),
});

export const accountDataSchema = z.object({
  account: z
    .object({
      id: z.string(),
      kind: z.enum(ACCOUNT_KINDS),
      name: z.string(),
      billingStreet: z.string().nullable(),
      billingCity: z.string().nullable(),
      billingRegion: z.string().nullable(),
      billingPostalCode: z.string().nullable(),
      billingCountry: z.string(),
      sourceLeadId: z.string().nullable(),
      ownerId: z.string().nullable(),
      unitId: z.string().nullable(),
      createdAt: z.string(),
      contacts: z.array(
        z.object({
          id: z.string(),
          firstName: z.string(),
          lastName: z.string(),
          fullName: z.string(),
          email: z.string().nullable(),
          phone: z.string().nullable(),
          title: z.string().nullable(),
          isPrimary: z.boolean(),
        }),
      ),
      sites: z.array(
        siteSummarySchema.extend({
          country: z.string(),
          utility: z.string().nullable(),
          meterNumber: z.string().nullable(),
          roofType: z.string().nullable(),
          shading: z.string().nullable(),
          averageMonthlyBill: z.number().nullable(),
        }),
      ),
    })
    .nullable(),
});

export const accountOpportunitiesDataSchema = z.object({
  pipelineStages: z.array(pipelineStageSchema),
  opportunities: z.object({ edges: z.array(z.object({ node: opportunityCardSchema })) }),
});
