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
import type {
  CreditBand,
  Ownership,
  RoofOrientation,
  RoofType,
  ShadingLevel,
} from './scoring/scoring-rules.js';
import type { Grade, ScoreContribution } from './scoring/score-lead.js';

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

/** The editable fields of a lead, each optional (see updateLeadInputSchema). */
export const updateLeadFieldsSchema = z.object({
  firstName: requiredText(100).optional(),
  lastName: requiredText(100).optional(),
  email: optionalEmail.optional(),
  phone: optionalPhone.optional(),
  company: optionalText(200).optional(),
  street: optionalText(200).optional(),
  city: optionalText(100).optional(),
  region: optionalText(100).optional(),
  postalCode: optionalText(20).optional(),
  country: countryCode.optional(),
  source: z.enum(LEAD_SOURCES, 'Must be one of the lead sources').optional(),
  status: z.enum(LEAD_STATUSES, 'Must be one of the lead statuses').optional(),
  monthlyBill: optionalAmount(0, 100_000).optional(),
  notes: optionalText(10_000).optional(),
});

/** updateLead input: any subset of the editable fields, plus status. Owner and unit change via assignLead. */
export const updateLeadInputSchema = updateLeadFieldsSchema.refine(
  (v) => Object.values(v).some((x) => x !== undefined),
  'Change at least one field',
);
export type UpdateLeadInput = z.output<typeof updateLeadInputSchema>;

/** assignLead input: a new owner, a new owning unit, or both. */
export const assignLeadInputSchema = z
  .object({
    ownerId: z.uuid('Must be a member id').nullish(),
    unitId: z.uuid('Must be an org unit id').nullish(),
  })
  .refine((v) => v.ownerId != null || v.unitId != null, 'Give an ownerId, a unitId or both');
export type AssignLeadInput = z.output<typeof assignLeadInputSchema>;

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
  unitId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The scoring-relevant facts of a lead (null = not known yet); validated in lead-facts.ts. */
export interface LeadFacts {
  roofType: RoofType | null;
  roofAgeYears: number | null;
  roofOrientation: RoofOrientation | null;
  shading: ShadingLevel | null;
  creditBand: CreditBand | null;
  ownership: Ownership | null;
  latitude: number | null;
  longitude: number | null;
}

/** How the lead's score came about, as stored with it. */
export interface StoredScore {
  score: number;
  grade: Grade;
  rawTotal: number;
  contributions: ScoreContribution[];
  missing: string[];
}

/** A lead with what the intelligence features add: facts, score and explanation, assignment, merge. */
export interface LeadRecord extends Lead, LeadFacts {
  score: number | null;
  grade: Grade | null;
  scoreExplanation: StoredScore | null;
  assignmentStrategy: string | null;
  assignmentReason: string | null;
  mergedIntoId: string | null;
  /**
   * When anyone last logged an activity on the lead, where the record was read from its row (the activities
   * module keeps the column); absent on records built otherwise, whose readers load it.
   */
  lastActivityAt?: Date | null;
}
