import { ROOF_TYPES, SHADING_LEVELS } from '../customers/customer-schema.js';
import { OWNERSHIP } from '../leads/scoring/scoring-rules.js';
import type { FormField } from './lead-form-schema.js';

/** How each field is asked on an installer's site: its label, and an input type or a list of choices. */
const ASKED: Record<FormField, { label: string; type?: string; choices?: readonly string[] }> = {
  email: { label: 'Email', type: 'email' },
  phone: { label: 'Phone', type: 'tel' },
  company: { label: 'Company' },
  street: { label: 'Street address' },
  city: { label: 'City' },
  region: { label: 'State' },
  postalCode: { label: 'ZIP code' },
  monthlyBill: { label: 'Average monthly electric bill ($)', type: 'number' },
  notes: { label: 'Anything we should know?', type: 'textarea' },
  roofType: { label: 'Roof type', choices: ROOF_TYPES },
  shading: { label: 'Shade on the roof', choices: SHADING_LEVELS },
  ownership: { label: 'Do you own the home?', choices: OWNERSHIP },
};

const AUTOCOMPLETE: Partial<Record<FormField | 'firstName' | 'lastName', string>> = {
  firstName: 'given-name',
  lastName: 'family-name',
  email: 'email',
  phone: 'tel',
  company: 'organization',
  street: 'street-address',
  city: 'address-level2',
  region: 'address-level1',
  postalCode: 'postal-code',
};

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const choiceLabel = (v: string) => v.charAt(0).toUpperCase() + v.slice(1).replaceAll('_', ' ');

/**
 * The `<form>` an installer pastes on their own site for a form and its key: a labelled control for first
 * and last name and for every field the form asks, `required` where the form requires it, and the names the
 * intake reads. The embed script (platform-api /forms/embed.js) adds the signed start time and the honeypot.
 */
export function formMarkup(
  form: { fields: readonly FormField[]; requiredFields: readonly FormField[] },
  formKey: string,
): string {
  const control = (name: FormField | 'firstName' | 'lastName', required: boolean) => {
    const asked =
      name === 'firstName'
        ? { label: 'First name' }
        : name === 'lastName'
          ? { label: 'Last name' }
          : ASKED[name];
    const req = required ? ' required' : '';
    const auto = AUTOCOMPLETE[name] ? ` autocomplete="${AUTOCOMPLETE[name]}"` : '';
    const label = escape(asked.label);
    if ('choices' in asked && asked.choices) {
      const options = asked.choices
        .map((c) => `      <option value="${escape(c)}">${escape(choiceLabel(c))}</option>`)
        .join('\n');
      return `  <label>${label}\n    <select name="${name}"${req}>\n      <option value="">Choose…</option>\n${options}\n    </select>\n  </label>`;
    }
    if ('type' in asked && asked.type === 'textarea')
      return `  <label>${label}\n    <textarea name="${name}" rows="3"${req}></textarea>\n  </label>`;
    const type = 'type' in asked && asked.type ? asked.type : 'text';
    const extra = type === 'number' ? ' min="0" step="1" inputmode="numeric"' : '';
    return `  <label>${label}\n    <input name="${name}" type="${type}"${extra}${auto}${req}>\n  </label>`;
  };
  return [
    `<form data-solar-form="${escape(formKey)}">`,
    control('firstName', true),
    control('lastName', true),
    ...form.fields.map((f) => control(f, form.requiredFields.includes(f))),
    '  <button type="submit">Send</button>',
    '</form>',
  ].join('\n');
}
