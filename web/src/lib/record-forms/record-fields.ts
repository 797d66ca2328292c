import type { FieldMessages } from '$lib/graphql/field-errors';

/**
 * Record forms as data (a customer, a contact, a site, a deal): each field's label, kind and local check, and
 * one way from what was typed to the API's input — a new record leaves blanks out; an edit sends only what
 * changed, a blank clearing the field. Field names are the API's input names, so the API's own validation
 * messages land beside the field they are about.
 */
export interface FieldSpec {
  name: string;
  label: string;
  kind?: 'text' | 'email' | 'tel' | 'number' | 'integer' | 'date' | 'select' | 'checkbox';
  options?: readonly { value: string; label: string }[];
  /** the message when left blank (required fields only) */
  required?: string;
  hint?: string;
  /** [min, max] for numbers */
  range?: readonly [number, number];
  /** ISO country codes and the like */
  upper?: boolean;
  /** shown half width, beside the next half-width field */
  half?: boolean;
}

/** What the inputs hold: text, though a number input bound in Svelte hands back a number (or null when empty). */
export type FormValues = Record<string, string | number | null | undefined>;

const textOf = (v: FormValues[string]) => (v === null || v === undefined ? '' : String(v));

/** The form's values for `record` (or empty ones): every value a string, as inputs hold them. */
export function formFrom(fields: readonly FieldSpec[], from: object = {}): FormValues {
  const record = from as Record<string, unknown>;
  return Object.fromEntries(
    fields.map((f) => {
      const v = record[f.name];
      if (f.kind === 'checkbox') return [f.name, v === true ? 'true' : 'false'];
      if (v === null || v === undefined)
        return [f.name, f.kind === 'select' ? (f.options?.[0]?.value ?? '') : ''];
      return [f.name, String(v)];
    }),
  );
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parse(f: FieldSpec, raw: FormValues[string]): Parsed {
  const text = textOf(raw).trim();
  if (f.kind === 'checkbox') return { ok: true, value: text === 'true' };
  if (!text) return f.required ? { ok: false, message: f.required } : { ok: true, value: null };
  if (f.kind === 'number' || f.kind === 'integer') {
    const n = Number(text.replace(/[$,\s]/g, ''));
    if (!Number.isFinite(n) || (f.kind === 'integer' && !Number.isInteger(n)))
      return { ok: false, message: f.kind === 'integer' ? 'Enter a whole number' : 'Enter a number' };
    if (f.range && (n < f.range[0] || n > f.range[1]))
      return { ok: false, message: `Between ${f.range[0]} and ${f.range[1]}` };
    return { ok: true, value: n };
  }
  if (f.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(text)) return { ok: false, message: 'Enter a date' };
  return { ok: true, value: f.upper ? text.toUpperCase() : text };
}

/** A new record's input: blanks left out (a box is always sent, ticked or not); field messages instead when something cannot be sent. */
export function createInput(
  fields: readonly FieldSpec[],
  values: FormValues,
): { input: Record<string, unknown> } | { errors: FieldMessages } {
  const input: Record<string, unknown> = {};
  const errors: FieldMessages = {};
  for (const f of fields) {
    const parsed = parse(f, values[f.name]);
    if (!parsed.ok) errors[f.name] = parsed.message;
    else if (parsed.value !== null) input[f.name] = parsed.value;
  }
  return Object.keys(errors).length ? { errors } : { input };
}

/** Only what changed since `before`; a blank clears an optional field (null). */
export function changesInput(
  fields: readonly FieldSpec[],
  before: FormValues,
  values: FormValues,
): { input: Record<string, unknown> } | { errors: FieldMessages } {
  const input: Record<string, unknown> = {};
  const errors: FieldMessages = {};
  for (const f of fields) {
    const value = values[f.name];
    if (textOf(value).trim() === textOf(before[f.name]).trim()) continue;
    const parsed = parse(f, value);
    if (!parsed.ok) errors[f.name] = parsed.message;
    else input[f.name] = parsed.value;
  }
  return Object.keys(errors).length ? { errors } : { input };
}

/** Whether any of `fields` holds something (an optional group of a form, like the first site). */
export function anyFilled(fields: readonly FieldSpec[], values: FormValues): boolean {
  return fields.some(
    (f) => f.kind !== 'checkbox' && f.kind !== 'select' && textOf(values[f.name]).trim() !== '',
  );
}
