import { z } from 'zod';
import { LEAD_STATUSES } from '../leads/lead.js';

export const leadInsightsSchema = z.object({
  lead: z
    .object({
      id: z.string(),
      score: z.number().int().nullable(),
      grade: z.string().nullable(),
      scoreMissingFacts: z.array(z.string()),
      assignmentStrategy: z.string().nullable(),
      assignmentReason: z.string().nullable(),
      mergedIntoId: z.string().nullable(),
      scoreExplanation: z.array(z.object({ rule: z.string(), points: z.number().int(), reason: z.string() })),
      duplicates: z.array(
        z.object({
          confidence: z.number(),
          matchedOn: z.array(z.string()),
          reasons: z.array(z.string()),
          lead: z.object({
            id: z.string(),
            fullName: z.string(),
            email: z.string().nullable(),
            phone: z.string().nullable(),
            city: z.string().nullable(),
            status: z.enum(LEAD_STATUSES),
            createdAt: z.string(),
          }),
        }),
      ),
    })
    .nullable(),
});

export type LeadInsights = NonNullable<z.output<typeof leadInsightsSchema>['lead']>;
