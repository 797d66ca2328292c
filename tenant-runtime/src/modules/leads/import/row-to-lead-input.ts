import type { FieldErrors } from '@solar/common';
import { LEAD_SOURCES, type LeadSource } from '../lead-schema.js';
import { headerKey, type ImportField } from './header-mapping.js';

/*
 * CSV cells are text; createLeadInputSchema wants the API's input shape. This maps one to the other and
 * leaves every judgement about validity to the schema, except what only text can get wrong (a bill that is
 * not a number).
 */

const SOURCE_ALIASES: Record<string, LeadSource> = {
  ...Object.fromEntries(LEAD_SOURCES.map((s) => [headerKey(s), s])),
  website: 'web_form',
  web: 'web_form',
  webform: 'web_form',
  d2d: 'door_to_door',
  doortodoor: 'door_to_door',
  ads: 'paid_ads',
  paid: 'paid_ads',
  ppc: 'paid_ads',
  phonecall: 'phone',
  call: 'phone',
};

const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US',
  unitedstates: 'US',
  unitedstatesofamerica: 'US',
  canada: 'CA',
  mexico: 'MX',
  uk: 'GB',
  unitedkingdom: 'GB',
};

export interface RowDefaults {
  source?: LeadSource | undefined;
  country?: string | undefined;
}

/** Cell text → createLead input (unvalidated), plus errors only the text itself can show. */
export function rowToLeadInput(
  cells: Partial<Record<ImportField, string>>,
  defaults: RowDefaults,
): { input: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const input: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(cells) as Array<[ImportField, string]>) {
    input[field] = text(raw);
  }

  const source = input.source as string | null | undefined;
  input.source = source ? (SOURCE_ALIASES[headerKey(source)] ?? source) : (defaults.source ?? null);

  const country = input.country as string | null | undefined;
  input.country = country ? (COUNTRY_ALIASES[headerKey(country)] ?? country) : (defaults.country ?? null);

  const bill = input.monthlyBill as string | undefined;
  if (bill === '') input.monthlyBill = null;
  else if (bill !== undefined) {
    // "$1,234.50" and "1234.5" are the same amount
    const n = Number(bill.replace(/[$\s,]/g, ''));
    if (Number.isFinite(n)) input.monthlyBill = n;
    else {
      errors.monthlyBill = ['Must be a number, e.g. 185.50'];
      delete input.monthlyBill;
    }
  }
  return { input, errors };
}

/** Trimmed; the apostrophe our CSV export puts before formula-like cells ("'+1 415…") comes off. Blank stays
 * '' so the schema says "Required" for a required field and treats it as absent for an optional one. */
function text(raw: string): string {
  const v = raw.trim();
  return /^'[=+\-@\t\r]/.test(v) ? v.slice(1) : v;
}
