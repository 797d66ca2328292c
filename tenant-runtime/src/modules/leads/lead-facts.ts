import { z } from 'zod';
import { createLeadInputSchema, updateLeadFieldsSchema } from './lead-schema.js';
import {
  CREDIT_BANDS,
  OWNERSHIP,
  ROOF_ORIENTATIONS,
  ROOF_TYPES,
  SHADING_LEVELS,
} from './scoring/scoring-rules.js';

/*
 * The facts scoring reads (roof, shading, credit, ownership) and the location radius territories read. They
 * live apart from lead-schema.ts because the scoring rules import the lead sources from there; importing
 * the rules back into lead-schema would make a module cycle.
 */

const factFields = {
  roofType: z.enum(ROOF_TYPES, 'Must be one of the roof types').nullish(),
  roofAgeYears: z
    .number()
    .int('Whole years only')
    .min(0, 'Must be at least 0')
    .max(150, 'Must be at most 150')
    .nullish(),
  roofOrientation: z.enum(ROOF_ORIENTATIONS, 'Must be one of the roof orientations').nullish(),
  shading: z.enum(SHADING_LEVELS, 'Must be one of the shading levels').nullish(),
  creditBand: z.enum(CREDIT_BANDS, 'Must be one of the credit bands').nullish(),
  ownership: z.enum(OWNERSHIP, 'Must be homeowner or renter').nullish(),
  latitude: z.number().min(-90, 'Must be at least -90').max(90, 'Must be at most 90').nullish(),
  longitude: z.number().min(-180, 'Must be at least -180').max(180, 'Must be at most 180').nullish(),
};

/** createLead input with the facts and an optional owner (absent: the tenant's assignment rules decide). */
export const createLeadFullSchema = createLeadInputSchema
  .extend({ ...factFields, ownerId: z.uuid('Must be a member id').nullish() })
  .refine((v) => (v.latitude == null) === (v.longitude == null), {
    message: 'Give latitude and longitude together',
    path: ['longitude'],
  });
export type CreateLeadFullInput = z.output<typeof createLeadFullSchema>;

/** updateLead input with the facts; at least one field must change. */
export const updateLeadFullSchema = updateLeadFieldsSchema
  .extend(factFields)
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateLeadFullInput = z.output<typeof updateLeadFullSchema>;
