import type { Lead } from './lead-schema.js';

const COLUMNS: Array<[string, (l: Lead) => unknown]> = [
  ['id', (l) => l.id],
  ['first_name', (l) => l.firstName],
  ['last_name', (l) => l.lastName],
  ['email', (l) => l.email],
  ['phone', (l) => l.phone],
  ['company', (l) => l.company],
  ['street', (l) => l.street],
  ['city', (l) => l.city],
  ['region', (l) => l.region],
  ['postal_code', (l) => l.postalCode],
  ['country', (l) => l.country],
  ['source', (l) => l.source],
  ['status', (l) => l.status],
  ['monthly_bill', (l) => l.monthlyBill],
  ['owner_id', (l) => l.ownerId],
  ['unit_id', (l) => l.unitId],
  ['created_at', (l) => l.createdAt.toISOString()],
];

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR) get a leading
 * apostrophe, so an exported lead named "=HYPERLINK(…)" stays text.
 */
export function toCsv(leads: readonly Lead[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [COLUMNS.map(([name]) => name).join(',')];
  for (const lead of leads) lines.push(COLUMNS.map(([, get]) => cell(get(lead))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
