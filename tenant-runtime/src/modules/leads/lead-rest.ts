import { NotFound } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { MAX_PAGE_SIZE } from '../../engine/graphql/connection.js';
import { toPage } from '../../engine/rest/rest-page.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import { createLeadFullSchema, updateLeadFullSchema } from './lead-facts.js';
import { LEAD_SOURCES, LEAD_STATUSES, type LeadRecord } from './lead-schema.js';
import { createLead, deleteLead, getLead, listLeads, updateLead } from './lead-service.js';

/** A lead as REST shows it (stored enum values, ISO timestamps). */
export const leadResourceSchema = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  company: z.string().nullable(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
  source: z.enum(LEAD_SOURCES),
  status: z.enum(LEAD_STATUSES),
  monthlyBill: z.number().nullable(),
  notes: z.string().nullable(),
  score: z.number().nullable(),
  grade: z.string().nullable(),
  ownerId: z.uuid().nullable(),
  unitId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type LeadResource = z.output<typeof leadResourceSchema>;

export const leadPageSchema = z.object({
  data: z.array(leadResourceSchema),
  nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
  totalCount: z.number().int(),
});

const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean))
  .pipe(z.array(z.enum(LEAD_STATUSES, 'Must be one of the lead statuses')));

export const leadListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).describe('Page size'),
  after: z.string().max(200).optional().describe('Cursor from the previous page'),
  status: csv.optional().describe('Comma-separated statuses, e.g. new,contacted'),
  search: z.string().trim().max(100).optional().describe('Name, email, phone or company'),
});

export function toLeadResource(lead: LeadRecord): LeadResource {
  return {
    id: lead.id,
    firstName: lead.firstName,
    lastName: lead.lastName,
    fullName: lead.fullName,
    email: lead.email,
    phone: lead.phone,
    company: lead.company,
    street: lead.street,
    city: lead.city,
    region: lead.region,
    postalCode: lead.postalCode,
    country: lead.country,
    source: lead.source,
    status: lead.status,
    monthlyBill: lead.monthlyBill,
    notes: lead.notes,
    score: lead.score ?? null,
    grade: lead.grade ?? null,
    ownerId: lead.ownerId,
    unitId: lead.unitId,
    createdAt: new Date(lead.createdAt).toISOString(),
    updatedAt: new Date(lead.updatedAt).toISOString(),
  };
}

async function found(rc: RequestContext, id: string): Promise<LeadResource | null> {
  const lead = (await getLead(rc, id)) as LeadRecord | null;
  return lead ? toLeadResource(lead) : null;
}

/** /api/v1/leads: the same lead services GraphQL calls, so row scope and events apply unchanged. */
export const leadRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/leads',
    operationId: 'listLeads',
    tag: 'Leads',
    summary: 'Leads the caller can see, newest first',
    query: leadListQuerySchema,
    response: leadPageSchema,
    responseName: 'LeadPage',
    async handle(rc, { query }) {
      const conn = await listLeads(rc, {
        first: query.limit,
        after: query.after ?? null,
        filter: { status: query.status ?? null, search: query.search ?? null },
      });
      return toPage(conn, (l) => toLeadResource(l as LeadRecord));
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/leads/{id}',
    operationId: 'getLead',
    tag: 'Leads',
    summary: 'One lead',
    response: leadResourceSchema,
    responseName: 'Lead',
    async handle(rc, { params }) {
      const lead = await found(rc, params.id!);
      if (!lead) throw new NotFound('No such lead');
      return lead;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/leads',
    operationId: 'createLead',
    tag: 'Leads',
    summary: 'Capture a lead (scored and placed by the workspace rules)',
    body: createLeadFullSchema,
    response: leadResourceSchema,
    responseName: 'Lead',
    status: 201,
    async handle(rc, { body }) {
      return toLeadResource((await createLead(rc, body)) as LeadRecord);
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/leads/{id}',
    operationId: 'updateLead',
    tag: 'Leads',
    summary: 'Change some of a lead’s fields',
    body: updateLeadFullSchema,
    response: leadResourceSchema,
    responseName: 'Lead',
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params, body }) {
      return toLeadResource((await updateLead(rc, params.id!, body)) as LeadRecord);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/leads/{id}',
    operationId: 'deleteLead',
    tag: 'Leads',
    summary: 'Delete a lead',
    status: 204,
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params }) {
      await deleteLead(rc, params.id!);
      return null;
    },
  }),
];
