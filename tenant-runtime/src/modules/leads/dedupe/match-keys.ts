import { normalizePostcode, normalizeStreet } from './normalize-address.js';
import { normalizeEmail } from './normalize-email.js';
import { normalizePhone } from './normalize-phone.js';

/** The lead fields de-duplication reads. */
export interface DedupeLead {
  id?: string;
  firstName?: string | null;
  lastName?: string | null;
  email?: string | null;
  phone?: string | null;
  street?: string | null;
  city?: string | null;
  postalCode?: string | null;
  country?: string | null;
}

export type MatchKeyKind = 'email' | 'phone' | 'address';
export interface MatchKey {
  kind: MatchKeyKind;
  /** normalised value; equal values mean "same contact point". At most 255 characters, for an index. */
  value: string;
}

const MAX_KEY = 255;

/**
 * The keys to look a lead up by: store them in an indexed (kind, value) table, then find candidate duplicates
 * with `WHERE (kind, value) IN (...)` before scoring them with findDuplicates.
 */
export function matchKeys(lead: DedupeLead): MatchKey[] {
  const keys: MatchKey[] = [];
  const country = lead.country || 'US';
  const email = normalizeEmail(lead.email);
  if (email) keys.push({ kind: 'email', value: email.slice(0, MAX_KEY) });
  const phone = normalizePhone(lead.phone, country);
  if (phone) keys.push({ kind: 'phone', value: phone });
  const address = addressKey(lead);
  if (address) keys.push({ kind: 'address', value: address.slice(0, MAX_KEY) });
  return keys;
}

/** "123 n main st unit 4b|85004": street plus postcode (or city when there is no postcode). */
export function addressKey(lead: DedupeLead): string | null {
  const street = normalizeStreet(lead.street);
  if (!street || !/\d/.test(street)) return null; // no house number: too vague to call it the same place
  const place = normalizePostcode(lead.postalCode, lead.country || 'US') ?? normalizeName(lead.city);
  if (!place) return null;
  return `${street}|${lead.country?.toUpperCase() || 'US'}|${place}`;
}

/** Names folded for comparison: "José O'Neil" = "jose oneil". */
export function normalizeName(raw: string | null | undefined): string | null {
  const name = raw
    ?.toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return name || null;
}
