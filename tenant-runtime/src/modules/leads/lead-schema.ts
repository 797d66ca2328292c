import { z } from 'zod';
import { connectionArgsSchema } from '../../engine/graphql/connection.js';
import {
  countryCode,
  optionalAmount,
  optionalEmail,
  optionalPhone,
  optionalText,
  requiredText,
} from '../../engine/validation/fields.js';

/** Stored values (lower snake case); GraphQL shows them as NEW, WEB_FORM, … (see lead-graphql.ts). */
export const LEAD_STATUSES = ['new', 'contacted', 'qualified', 'unqualified', 'converted'] as const;
export const LEAD_SOURCES = [
  'web_form',
  'referral',
  'door_to_door',
  'event',
  'partner',
  'paid_ads',
  'phone',
  'other',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** createLead input; lengths match the leads table columns. */
export const createLeadInputSchema = z.object({
  firstName: requiredText(100),
  lastName: requiredText(100),
  email: optionalEmail,
  phone: optionalPhone,
  company: optionalText(200),
  street: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postalCode: optionalText(20),
  country: countryCode.nullish().transform((v) => v ?? 'US'),
  source: z.enum(LEAD_SOURCES, 'Must be one of the lead sources'),
  monthlyBill: optionalAmount(0, 100_000),
  notes: optionalText(10_000),
});
export type CreateLeadInput = z.output<typeof createLeadInputSchema>;

export const leadFilterSchema = z
  .object({
    status: z.array(z.enum(LEAD_STATUSES)).max(LEAD_STATUSES.length).nullish(),
    search: z.string().trim().max(100, 'At most 100 characters').nullish(),
  })
  .nullish();

export const listLeadsArgsSchema = connectionArgsSchema.extend({ filter: leadFilterSchema });
export type ListLeadsArgs = z.output<typeof listLeadsArgsSchema>;

/** A lead as the API shows it. */
export interface Lead {
  id: string;
  firstName: string;
  lastName: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
  source: LeadSource;
  status: LeadStatus;
  monthlyBill: number | null;
  notes: string | null;
  ownerId: string | null;
  createdAt: Date;
  updatedAt: Date;
}
