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

/** Stored values (lower snake case); GraphQL shows them upper case (customer-graphql.ts). */
export const ACCOUNT_KINDS = ['residential', 'commercial'] as const;
export const SHADING_LEVELS = ['none', 'light', 'moderate', 'heavy'] as const;
export const ROOF_TYPES = [
  'asphalt_shingle',
  'metal',
  'tile',
  'slate',
  'wood_shake',
  'flat_membrane',
  'ground_mount',
  'other',
] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export type Shading = (typeof SHADING_LEVELS)[number];
export type RoofType = (typeof ROOF_TYPES)[number];

const optionalNumber = (min: number, max: number, what: string) =>
  z
    .number()
    .min(min, `${what} must be at least ${min}`)
    .max(max, `${what} must be at most ${max}`)
    .nullish()
    .transform((v) => (v === null || v === undefined ? null : v));

const billingAddress = {
  billingStreet: optionalText(200),
  billingCity: optionalText(100),
  billingRegion: optionalText(100),
  billingPostalCode: optionalText(20),
};

export const contactInputSchema = z.object({
  firstName: requiredText(100),
  lastName: requiredText(100),
  email: optionalEmail,
  phone: optionalPhone,
  title: optionalText(100),
  isPrimary: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
export type ContactInput = z.output<typeof contactInputSchema>;

export const updateContactInputSchema = z
  .object({
    firstName: requiredText(100).optional(),
    lastName: requiredText(100).optional(),
    email: optionalEmail.optional(),
    phone: optionalPhone.optional(),
    title: optionalText(100).optional(),
    isPrimary: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateContactInput = z.output<typeof updateContactInputSchema>;

const siteFields = {
  label: optionalText(100),
  street: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postalCode: optionalText(20),
  latitude: optionalNumber(-90, 90, 'Latitude'),
  longitude: optionalNumber(-180, 180, 'Longitude'),
  utility: optionalText(200),
  meterNumber: optionalText(64),
  roofType: z.enum(ROOF_TYPES, 'Must be one of the roof types').nullish(),
  roofPitchDeg: optionalNumber(0, 90, 'Roof pitch'),
  roofAzimuthDeg: optionalNumber(0, 359.9, 'Roof azimuth'),
  shading: z.enum(SHADING_LEVELS, 'Must be one of the shading levels').nullish(),
  annualUsageKwh: z
    .number()
    .int('Must be a whole number of kWh')
    .min(0, 'Must be at least 0')
    .max(100_000_000, 'Must be at most 100000000')
    .nullish(),
  averageMonthlyBill: optionalAmount(0, 1_000_000),
};

export const siteInputSchema = z.object({
  ...siteFields,
  country: countryCode.nullish().transform((v) => v ?? 'US'),
});
export type SiteInput = z.output<typeof siteInputSchema>;

/** updateSite input: any subset of the site's fields; the account never changes. */
export const updateSiteInputSchema = z
  .object({ ...siteFields, country: countryCode })
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateSiteInput = z.output<typeof updateSiteInputSchema>;

/** createAccount input: the account, optionally with its first contacts and sites. */
export const createAccountInputSchema = z.object({
  kind: z.enum(ACCOUNT_KINDS, 'Must be RESIDENTIAL or COMMERCIAL'),
  name: requiredText(200),
  ...billingAddress,
  billingCountry: countryCode.nullish().transform((v) => v ?? 'US'),
  contacts: z.array(contactInputSchema).max(20, 'At most 20 contacts at once').nullish(),
  sites: z.array(siteInputSchema).max(20, 'At most 20 sites at once').nullish(),
});
export type CreateAccountInput = z.output<typeof createAccountInputSchema>;

export const updateAccountInputSchema = z
  .object({
    kind: z.enum(ACCOUNT_KINDS, 'Must be RESIDENTIAL or COMMERCIAL').optional(),
    name: requiredText(200).optional(),
    billingStreet: optionalText(200).optional(),
    billingCity: optionalText(100).optional(),
    billingRegion: optionalText(100).optional(),
    billingPostalCode: optionalText(20).optional(),
    billingCountry: countryCode.optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateAccountInput = z.output<typeof updateAccountInputSchema>;

export const assignAccountInputSchema = z
  .object({
    ownerId: z.uuid('Must be a member id').nullish(),
    unitId: z.uuid('Must be an org unit id').nullish(),
  })
  .refine((v) => v.ownerId != null || v.unitId != null, 'Give an ownerId, a unitId or both');
export type AssignAccountInput = z.output<typeof assignAccountInputSchema>;

export const ACCOUNT_SORT_FIELDS = ['created_at', 'name'] as const;
export const SORT_DIRECTIONS = ['asc', 'desc'] as const;

export const accountFilterSchema = z
  .object({
    kind: z.array(z.enum(ACCOUNT_KINDS)).max(2).nullish(),
    ownerId: z.array(z.uuid('Must be a member id')).max(50).nullish(),
    search: z.string().trim().max(100, 'At most 100 characters').nullish(),
  })
  .nullish();
export type AccountFilter = z.output<typeof accountFilterSchema>;

export const listAccountsArgsSchema = connectionArgsSchema.extend({
  filter: accountFilterSchema,
  sort: z
    .object({
      field: z.enum(ACCOUNT_SORT_FIELDS),
      direction: z
        .enum(SORT_DIRECTIONS)
        .nullish()
        .transform((v) => v ?? 'asc'),
    })
    .nullish(),
});

/** An account as the API shows it. */
export interface Account {
  id: string;
  kind: AccountKind;
  name: string;
  billingStreet: string | null;
  billingCity: string | null;
  billingRegion: string | null;
  billingPostalCode: string | null;
  billingCountry: string;
  sourceLeadId: string | null;
  ownerId: string | null;
  unitId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Contact {
  id: string;
  accountId: string;
  firstName: string;
  lastName: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  isPrimary: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface Site {
  id: string;
  accountId: string;
  label: string;
  street: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string;
  latitude: number | null;
  longitude: number | null;
  utility: string | null;
  meterNumber: string | null;
  roofType: RoofType | null;
  roofPitchDeg: number | null;
  roofAzimuthDeg: number | null;
  shading: Shading | null;
  annualUsageKwh: number | null;
  averageMonthlyBill: number | null;
  createdAt: Date;
  updatedAt: Date;
}
