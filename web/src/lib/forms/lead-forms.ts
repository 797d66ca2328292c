import { z } from 'zod';
import { LEAD_SOURCES } from '../leads/lead.js';

/** The fields a web form may ask besides first and last name, as the GraphQL enum names them. */
export const FORM_FIELDS = [
  'EMAIL',
  'PHONE',
  'COMPANY',
  'STREET',
  'CITY',
  'REGION',
  'POSTAL_CODE',
  'MONTHLY_BILL',
  'NOTES',
  'ROOF_TYPE',
  'SHADING',
  'OWNERSHIP',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

export const FIELD_LABEL: Record<FormField, string> = {
  EMAIL: 'Email',
  PHONE: 'Phone',
  COMPANY: 'Company',
  STREET: 'Street address',
  CITY: 'City',
  REGION: 'State',
  POSTAL_CODE: 'ZIP code',
  MONTHLY_BILL: 'Monthly bill',
  NOTES: 'Message',
  ROOF_TYPE: 'Roof type',
  SHADING: 'Shade',
  OWNERSHIP: 'Homeowner or renter',
};

const FORM_FIELDS_SELECTION = /* GraphQL */ `
  id
  name
  keyPrefix
  defaultSource
  ownerId
  allowedOrigins
  fields
  requiredFields
  minFillSeconds
  dailyCap
  enabled
  createdAt
`;

export const LEAD_FORMS_QUERY = /* GraphQL */ `
  query LeadForms {
    leadForms { ${FORM_FIELDS_SELECTION} }
    members { id displayName status }
  }
`;
export const CREATE_LEAD_FORM = /* GraphQL */ `
  mutation CreateLeadForm($input: CreateLeadFormInput!) {
    createLeadForm(input: $input) { formKey formHtml form { ${FORM_FIELDS_SELECTION} } }
  }
`;
export const UPDATE_LEAD_FORM = /* GraphQL */ `
  mutation UpdateLeadForm($id: ID!, $input: UpdateLeadFormInput!) {
    updateLeadForm(id: $id, input: $input) { ${FORM_FIELDS_SELECTION} }
  }
`;
export const ROTATE_LEAD_FORM_KEY = /* GraphQL */ `
  mutation RotateLeadFormKey($id: ID!) {
    rotateLeadFormKey(id: $id) { formKey formHtml form { ${FORM_FIELDS_SELECTION} } }
  }
`;

export const leadFormSchema = z.object({
  id: z.string(),
  name: z.string(),
  keyPrefix: z.string(),
  defaultSource: z.enum(LEAD_SOURCES),
  ownerId: z.string().nullable(),
  allowedOrigins: z.array(z.string()),
  fields: z.array(z.enum(FORM_FIELDS)),
  requiredFields: z.array(z.enum(FORM_FIELDS)),
  minFillSeconds: z.number(),
  dailyCap: z.number(),
  enabled: z.boolean(),
  createdAt: z.string(),
});
export type LeadForm = z.output<typeof leadFormSchema>;

export const leadFormsDataSchema = z.object({
  leadForms: z.array(leadFormSchema),
  members: z.array(z.object({ id: z.string(), displayName: z.string(), status: z.string() })),
});

/** What the create/edit drawer edits; origins as typed (one a line). */
export interface LeadFormDraft {
  name: string;
  defaultSource: (typeof LEAD_SOURCES)[number];
  /** '' = the workspace assignment rules */
  ownerId: string;
  origins: string;
  /** per field: not asked, asked, or asked and required */
  asks: Record<FormField, 'no' | 'optional' | 'required'>;
  minFillSeconds: number;
  dailyCap: number;
}

export function newDraft(): LeadFormDraft {
  const asks = Object.fromEntries(FORM_FIELDS.map((f) => [f, 'no'])) as LeadFormDraft['asks'];
  return {
    name: 'Website quote form',
    defaultSource: 'WEB_FORM',
    ownerId: '',
    origins: '',
    asks: {
      ...asks,
      EMAIL: 'required',
      PHONE: 'optional',
      POSTAL_CODE: 'optional',
      MONTHLY_BILL: 'optional',
    },
    minFillSeconds: 3,
    dailyCap: 500,
  };
}

export function draftOf(form: LeadForm): LeadFormDraft {
  const asks = Object.fromEntries(
    FORM_FIELDS.map((f) => [
      f,
      form.requiredFields.includes(f) ? 'required' : form.fields.includes(f) ? 'optional' : 'no',
    ]),
  ) as LeadFormDraft['asks'];
  return {
    name: form.name,
    defaultSource: form.defaultSource,
    ownerId: form.ownerId ?? '',
    origins: form.allowedOrigins.join('\n'),
    asks,
    minFillSeconds: form.minFillSeconds,
    dailyCap: form.dailyCap,
  };
}

/**
 * Sites as typed: one a line (or comma separated), trailing slashes and paths dropped, so pasting a page
 * address (https://www.example.com/quote/) gives its origin. Anything unparseable is kept as typed, for the
 * API to name.
 */
export function originsFrom(text: string): string[] {
  const origins = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      try {
        const url = new URL(s);
        return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : s;
      } catch {
        return s;
      }
    });
  return [...new Set(origins)];
}

/** The input createLeadForm / updateLeadForm take for a draft. */
export function leadFormInput(draft: LeadFormDraft): Record<string, unknown> {
  const asked = FORM_FIELDS.filter((f) => draft.asks[f] !== 'no');
  return {
    name: draft.name.trim(),
    defaultSource: draft.defaultSource,
    ownerId: draft.ownerId || null,
    allowedOrigins: originsFrom(draft.origins),
    fields: asked,
    requiredFields: asked.filter((f) => draft.asks[f] === 'required'),
    minFillSeconds: draft.minFillSeconds,
    dailyCap: draft.dailyCap,
  };
}

/** Where the embed script lives for a workspace: the configured public origin, else this site's. */
export function publicOrigin(configured: string | undefined, tenantSlug: string, siteOrigin: string): string {
  return configured ? configured.replaceAll('{tenant}', tenantSlug) : siteOrigin;
}

/** What the installer pastes: the form's markup, then the embed script from the workspace's public origin. */
export function embedSnippet(formHtml: string, origin: string): string {
  return `${formHtml}\n<script src="${origin}/forms/embed.js" async></script>`;
}
