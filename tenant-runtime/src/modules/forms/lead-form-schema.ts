import { z } from 'zod';
import { requiredText } from '../../engine/validation/fields.js';
import { LEAD_SOURCES, type LeadSource } from '../leads/lead-schema.js';

/**
 * Lead fields a web form may send besides first and last name (always sent, always required). Values
 * arrive as text (HTML forms post strings) and are checked by the lead service's own schema afterwards.
 */
export const FORM_FIELDS = [
  'email',
  'phone',
  'company',
  'street',
  'city',
  'region',
  'postalCode',
  'monthlyBill',
  'notes',
  'roofType',
  'shading',
  'ownership',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

/** The hidden field a person never fills in; a bot that fills every input does. */
export const HONEYPOT_FIELD = 'website';
/** The signed moment the embed script fetched the form (see fill-token.ts). */
export const STARTED_FIELD = 'startedToken';

/** An origin as browsers send it: scheme, host and optional port, nothing else. */
const origin = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, 'Must be an origin like https://www.example.com');

const fieldList = z
  .array(z.enum(FORM_FIELDS, 'Must be one of the form fields'))
  .max(FORM_FIELDS.length)
  .transform((v) => [...new Set(v)]);

const formFields = {
  name: requiredText(100),
  defaultSource: z.enum(LEAD_SOURCES, 'Must be one of the lead sources'),
  /** every lead to this member; omitted: the workspace assignment rules place them */
  ownerId: z.uuid('Must be a member id').nullish(),
  allowedOrigins: z.array(origin).min(1, 'Name at least one site').max(20, 'At most 20 origins'),
  fields: fieldList,
  requiredFields: fieldList,
  minFillSeconds: z.number().int().min(0).max(600, 'At most 600 seconds'),
  dailyCap: z.number().int().min(1).max(100_000, 'At most 100000'),
};

const requiredAreSent = (v: { fields?: FormField[]; requiredFields?: FormField[] }) =>
  !v.fields || !v.requiredFields || v.requiredFields.every((f) => v.fields!.includes(f));
const REQUIRED_SENT = {
  message: 'Every required field must be one of the form’s fields',
  path: ['requiredFields'],
};

export const createLeadFormInputSchema = z
  .object({
    ...formFields,
    ownerId: formFields.ownerId,
    fields: formFields.fields.default(['email', 'phone', 'postalCode', 'monthlyBill']),
    requiredFields: formFields.requiredFields.default(['email']),
    minFillSeconds: formFields.minFillSeconds.default(3),
    dailyCap: formFields.dailyCap.default(500),
  })
  .refine(requiredAreSent, REQUIRED_SENT);
export type CreateLeadFormInput = z.output<typeof createLeadFormInputSchema>;

export const updateLeadFormInputSchema = z
  .object({
    name: formFields.name.optional(),
    defaultSource: formFields.defaultSource.optional(),
    ownerId: z.uuid('Must be a member id').nullable().optional(),
    allowedOrigins: formFields.allowedOrigins.optional(),
    fields: formFields.fields.optional(),
    requiredFields: formFields.requiredFields.optional(),
    minFillSeconds: formFields.minFillSeconds.optional(),
    dailyCap: formFields.dailyCap.optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Change at least one field');
export type UpdateLeadFormInput = z.output<typeof updateLeadFormInputSchema>;

/** A lead form as admins see it (never with its key, which only its hash stands for). */
export interface LeadForm {
  id: string;
  name: string;
  keyPrefix: string;
  defaultSource: LeadSource;
  ownerId: string | null;
  allowedOrigins: string[];
  fields: FormField[];
  requiredFields: FormField[];
  minFillSeconds: number;
  dailyCap: number;
  enabled: boolean;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** What the public embed script gets for a form key. */
export interface PublicFormDescription {
  name: string;
  fields: Array<{ name: string; required: boolean }>;
  honeypotField: string;
  startedToken: string;
  minFillSeconds: number;
  allowedOrigins: string[];
}

/**
 * A submission's fields as a lead: names and the chosen fields as text, each within the lead's own limits
 * (the lead service checks formats); required ones must be non-empty. Unknown keys are ignored, as HTML
 * forms often carry extra inputs (submit buttons, tracking).
 */
export function submissionSchema(form: Pick<LeadForm, 'fields' | 'requiredFields'>) {
  // JSON posts may send a number (a monthly bill); HTML forms always send text
  const text = (max: number, min = 0) =>
    z
      .union([z.string(), z.number().transform(String)], {
        error: (issue) => (issue.input === undefined ? 'Required' : 'Must be text'),
      })
      .pipe(z.string().trim().min(min, 'Required').max(max, `At most ${max} characters`));
  const shape: Record<string, z.ZodType> = { firstName: text(100, 1), lastName: text(100, 1) };
  for (const field of form.fields) {
    const max = field === 'notes' ? 10_000 : 200;
    shape[field] = form.requiredFields.includes(field)
      ? text(max, 1)
      : text(max)
          .optional()
          .transform((v) => (v === '' ? undefined : v));
  }
  return z.object(shape);
}
