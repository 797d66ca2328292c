import type { FieldMessages } from '$lib/graphql/field-errors';
import type { Lead } from './lead';

/**
 * The lead form's model, shared by "New lead" and "Edit lead": the same fields, the same clean-up (trimmed
 * text, upper-case country, the bill as a number) and the same local checks before the API sees anything.
 */
export const LEAD_TEXT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'street',
  'city',
  'region',
  'postalCode',
  'country',
  'notes',
] as const;
export const LEAD_FORM_FIELDS = [...LEAD_TEXT_FIELDS, 'status', 'source', 'monthlyBill'] as const;
export type LeadFormField = (typeof LEAD_FORM_FIELDS)[number];
export type LeadFormValues = Record<LeadFormField, string>;

export function emptyLeadForm(): LeadFormValues {
  return {
    ...(Object.fromEntries(LEAD_TEXT_FIELDS.map((f) => [f, ''])) as Record<
      (typeof LEAD_TEXT_FIELDS)[number],
      string
    >),
    country: 'US',
    status: 'NEW',
    source: 'WEB_FORM',
    monthlyBill: '',
  };
}

export function leadFormFrom(lead: Lead): LeadFormValues {
  return {
    ...(Object.fromEntries(LEAD_TEXT_FIELDS.map((f) => [f, lead[f] ?? ''])) as Record<
      (typeof LEAD_TEXT_FIELDS)[number],
      string
    >),
    status: lead.status,
    source: lead.source,
    monthlyBill: lead.monthlyBill === null ? '' : String(lead.monthlyBill),
  };
}

/** "$1,180" → 1180; blank → null; anything else → undefined (not an amount). */
export function parseMonthlyBill(text: string): number | null | undefined {
  const bill = text.trim().replace(/[$,\s]/g, '');
  if (!bill) return null;
  const amount = Number(bill);
  return Number.isFinite(amount) ? amount : undefined;
}

const BILL_MESSAGE = 'Enter an amount, like 180';

/** A new lead's input: blanks left out, names required. Status is the API's to set (new). */
export function newLeadInput(
  values: LeadFormValues,
): { input: Record<string, unknown> } | { errors: FieldMessages } {
  const input: Record<string, unknown> = { source: values.source };
  const errors: FieldMessages = {};
  for (const field of LEAD_TEXT_FIELDS) {
    const value = values[field].trim();
    if (value) input[field] = field === 'country' ? value.toUpperCase() : value;
  }
  if (!input['firstName']) errors['firstName'] = 'Enter a first name';
  if (!input['lastName']) errors['lastName'] = 'Enter a last name';
  const bill = parseMonthlyBill(values.monthlyBill);
  if (bill === undefined) errors['monthlyBill'] = BILL_MESSAGE;
  else if (bill !== null) input['monthlyBill'] = bill;
  return Object.keys(errors).length ? { errors } : { input };
}

/** Only what changed since `before` (the API changes only the fields given); a blank clears a field. */
export function leadChanges(
  before: LeadFormValues,
  values: LeadFormValues,
): { input: Record<string, unknown> } | { errors: FieldMessages } {
  const input: Record<string, unknown> = {};
  for (const field of LEAD_FORM_FIELDS) {
    const value = values[field].trim();
    if (value === before[field].trim()) continue;
    if (field === 'monthlyBill') {
      const bill = parseMonthlyBill(value);
      if (bill === undefined) return { errors: { monthlyBill: BILL_MESSAGE } };
      input[field] = bill;
    } else input[field] = field === 'country' ? value.toUpperCase() : value;
  }
  return { input };
}
