import { z } from 'zod';
import { LEAD_SOURCES, LEAD_STATUSES } from '../leads/lead.js';

/** What the load functions accept from the tenant API (checked, so a contract drift fails loudly here). */
const summary = {
  id: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  source: z.enum(LEAD_SOURCES),
  status: z.enum(LEAD_STATUSES),
  monthlyBill: z.number().nullable(),
  createdAt: z.string(),
  ownerId: z.string().nullable(),
  unitId: z.string().nullable(),
};

export const leadsDataSchema = z.object({
  leads: z.object({
    totalCount: z.number().int(),
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    edges: z.array(z.object({ cursor: z.string(), node: z.object(summary) })),
  }),
});

export const leadDataSchema = z.object({
  lead: z
    .object({
      ...summary,
      firstName: z.string(),
      lastName: z.string(),
      street: z.string().nullable(),
      postalCode: z.string().nullable(),
      country: z.string().nullable(),
      notes: z.string().nullable(),
      updatedAt: z.string().nullable(),
    })
    .nullable(),
});

export const leadStatsDataSchema = z.object({
  leadStats: z.object({
    total: z.number().int(),
    byStatus: z.array(z.object({ status: z.enum(LEAD_STATUSES), count: z.number().int() })),
  }),
});

export const recentLeadsDataSchema = z.object({
  leads: z.object({
    pageInfo: z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() }),
    edges: z.array(
      z.object({
        node: z.object({
          id: z.string(),
          fullName: z.string(),
          status: z.enum(LEAD_STATUSES),
          ownerId: z.string().nullable(),
          createdAt: z.string(),
        }),
      }),
    ),
  }),
});
