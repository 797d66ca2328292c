import { ValidationFailed } from '@solar/common';
import type { Lead } from '../lead-schema.js';
import { normalizeEmail } from './normalize-email.js';
import { normalizePhone } from './normalize-phone.js';

/** A lead plus when anyone last did something with it (activities); updatedAt stands in when unknown. */
export type MergeableLead = Lead & { lastActivityAt?: Date | null };

export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'company',
  'monthlyBill',
  'address',
  'source',
  'status',
  'notes',
  'owner',
  'createdAt',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

export interface DiscardedValue {
  leadId: string;
  field: string;
  value: unknown;
}

export interface MergeResult {
  /** the primary lead with the merged values; the duplicates are to be retired (e.g. marked merged into it) */
  merged: Lead;
  /** which lead each merged field came from */
  fieldSources: Record<MergeField, string>;
  /** differing values that did not survive, so nothing disappears without a trace (show them, keep them in the audit log) */
  discarded: DiscardedValue[];
}

const NOTES_MAX = 10_000;

/**
 * Folds duplicates into the primary lead. Rules, in order of the fields:
 * - contact fields (names, email, phone, company, monthly bill): the primary's value when non-empty, otherwise
 *   the first non-empty one from the duplicates, newest activity first;
 * - the address moves as one block (street, city, region, postcode, country) from the first lead, in the same
 *   order, that has a street, so a street never ends up with another lead's city;
 * - status: from the lead with the newest activity (the primary on a tie);
 * - notes: all distinct notes, primary first, each duplicate's headed with where it came from;
 * - source, owner and unit: the primary's, always; createdAt: the earliest.
 */
export function mergeLeads(primary: MergeableLead, duplicates: readonly MergeableLead[]): MergeResult {
  const ids = new Set([primary.id]);
  for (const d of duplicates) {
    if (ids.has(d.id))
      throw new ValidationFailed({ duplicates: [`Lead ${d.id} is listed twice or is the primary lead`] });
    ids.add(d.id);
  }
  if (duplicates.length === 0)
    throw new ValidationFailed({ duplicates: ['Give at least one duplicate to merge'] });

  const activity = (l: MergeableLead) => (l.lastActivityAt ?? l.updatedAt).getTime();
  // stable: equal activity keeps the caller's order
  const others = [...duplicates].sort((a, b) => activity(b) - activity(a));
  const order = [primary, ...others];
  const { lastActivityAt: _activity, ...primaryLead } = primary;
  const merged: Lead = { ...primaryLead };
  const fieldSources = {} as Record<MergeField, string>;
  const discarded: DiscardedValue[] = [];

  const scalar = <K extends 'firstName' | 'lastName' | 'email' | 'phone' | 'company' | 'monthlyBill'>(
    field: K,
    same: (a: Lead[K], b: Lead[K]) => boolean = (a, b) => a === b,
  ) => {
    const winner = order.find((l) => !isEmpty(l[field])) ?? primary;
    merged[field] = winner[field];
    fieldSources[field] = winner.id;
    for (const l of order)
      if (l !== winner && !isEmpty(l[field]) && !same(l[field], winner[field]))
        discarded.push({ leadId: l.id, field, value: l[field] });
  };
  const ci = (a: string | null, b: string | null) => a?.trim().toLowerCase() === b?.trim().toLowerCase();
  scalar('firstName', ci);
  scalar('lastName', ci);
  scalar('email', (a, b) => normalizeEmail(a) === normalizeEmail(b));
  scalar('phone', (a, b) => normalizePhone(a, primary.country) === normalizePhone(b, primary.country));
  scalar('company', ci);
  scalar('monthlyBill');

  const home =
    order.find((l) => !isEmpty(l.street)) ??
    order.find((l) => !isEmpty(l.city) || !isEmpty(l.postalCode)) ??
    primary;
  Object.assign(merged, {
    street: home.street,
    city: home.city,
    region: home.region,
    postalCode: home.postalCode,
    country: home.country,
  });
  fieldSources.address = home.id;
  for (const l of order)
    if (l !== home && !isEmpty(l.street) && !ci(l.street, home.street))
      discarded.push({ leadId: l.id, field: 'address', value: addressOf(l) });

  fieldSources.source = primary.id;
  for (const d of others)
    if (d.source !== primary.source) discarded.push({ leadId: d.id, field: 'source', value: d.source });

  const newest = order.reduce((best, l) => (activity(l) > activity(best) ? l : best), primary);
  merged.status = newest.status;
  fieldSources.status = newest.id;

  const notes: string[] = [];
  const seen = new Set<string>();
  for (const l of order) {
    const text = l.notes?.trim();
    if (!text || seen.has(text)) continue;
    seen.add(text);
    notes.push(l === primary ? text : `Merged from ${l.fullName} (lead ${l.id}):\n${text}`);
  }
  let joined = notes.join('\n\n');
  if (joined.length > NOTES_MAX) {
    discarded.push({ leadId: primary.id, field: 'notes', value: joined.slice(NOTES_MAX) });
    joined = joined.slice(0, NOTES_MAX);
  }
  merged.notes = joined || null;
  fieldSources.notes = primary.id;

  fieldSources.owner = primary.id;
  for (const d of others)
    if (d.ownerId && d.ownerId !== primary.ownerId)
      discarded.push({ leadId: d.id, field: 'ownerId', value: d.ownerId });

  const earliest = order.reduce((best, l) => (l.createdAt < best.createdAt ? l : best), primary);
  merged.createdAt = earliest.createdAt;
  fieldSources.createdAt = earliest.id;
  merged.updatedAt = new Date(Math.max(...order.map((l) => l.updatedAt.getTime())));
  merged.fullName = `${merged.firstName} ${merged.lastName}`;
  return { merged, fieldSources, discarded };
}

function isEmpty(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === 'string' && v.trim() === '');
}

function addressOf(l: Lead): string {
  return [l.street, l.city, l.region, l.postalCode, l.country].filter((x) => !isEmpty(x)).join(', ');
}
