import type { Tone } from '../ui/tone.js';

export const LEAD_STATUSES = ['NEW', 'CONTACTED', 'QUALIFIED', 'UNQUALIFIED', 'CONVERTED'] as const;
export const LEAD_SOURCES = [
  'WEB_FORM',
  'REFERRAL',
  'DOOR_TO_DOOR',
  'EVENT',
  'PARTNER',
  'PAID_ADS',
  'PHONE',
  'OTHER',
] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export type LeadSource = (typeof LEAD_SOURCES)[number];

/** A lead as the list shows it. */
export interface LeadSummary {
  id: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  city: string | null;
  region: string | null;
  source: LeadSource;
  status: LeadStatus;
  monthlyBill: number | null;
  createdAt: string;
  /** the member who works the lead */
  ownerId: string | null;
  /** the org unit (usually a team) the lead belongs to */
  unitId: string | null;
}

/** A lead with every field, for the detail page. */
export interface Lead extends LeadSummary {
  firstName: string;
  lastName: string;
  street: string | null;
  postalCode: string | null;
  country: string | null;
  notes: string | null;
  updatedAt: string | null;
}

export interface PageInfo {
  hasNextPage: boolean;
  endCursor: string | null;
}

export interface LeadPage {
  leads: LeadSummary[];
  pageInfo: PageInfo;
  totalCount: number;
}

export const STATUS_LABEL: Record<LeadStatus, string> = {
  NEW: 'New',
  CONTACTED: 'Contacted',
  QUALIFIED: 'Qualified',
  UNQUALIFIED: 'Unqualified',
  CONVERTED: 'Converted',
};

export const STATUS_TONE: Record<LeadStatus, Tone> = {
  NEW: 'blue',
  CONTACTED: 'amber',
  QUALIFIED: 'green',
  UNQUALIFIED: 'neutral',
  CONVERTED: 'purple',
};

export const SOURCE_LABEL: Record<LeadSource, string> = {
  WEB_FORM: 'Web form',
  REFERRAL: 'Referral',
  DOOR_TO_DOOR: 'Door to door',
  EVENT: 'Event',
  PARTNER: 'Partner',
  PAID_ADS: 'Paid ads',
  PHONE: 'Phone',
  OTHER: 'Other',
};

/** Leads per page, on the server's first render and every "Load more". */
export const PAGE_SIZE = 25;

/** "Austin, TX" from whatever parts are there. */
export function place(lead: { city: string | null; region: string | null }): string {
  return [lead.city, lead.region].filter(Boolean).join(', ');
}

/** Currency in the workspace's locale; the API stores amounts without a currency for now. */
export function money(amount: number | null): string {
  if (amount === null) return '';
  return new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 0,
  }).format(amount);
}

/** Reads `?status=NEW&status=QUALIFIED` or `?status=NEW,QUALIFIED` (unknown values dropped, enum order kept). */
export function parseStatusFilter(values: readonly string[]): LeadStatus[] {
  const wanted = new Set(values.flatMap((v) => v.split(',')).map((s) => s.trim().toUpperCase()));
  return LEAD_STATUSES.filter((s) => wanted.has(s));
}

/** The API's filter from the URL's `q` and `status`; null when nothing narrows the list. */
export function leadFilter(
  q: string,
  statuses: LeadStatus[],
): { search?: string; status?: LeadStatus[] } | null {
  const search = q.trim().slice(0, 100);
  if (!search && statuses.length === 0) return null;
  return { ...(search ? { search } : {}), ...(statuses.length ? { status: statuses } : {}) };
}

/** The list URL for a search and status filter (what the filter form would submit). */
export function leadsUrl(
  q: string,
  statuses: readonly LeadStatus[],
  after?: string | null,
): '/leads' | `/leads?${string}` {
  const params = new URLSearchParams();
  if (q.trim()) params.set('q', q.trim());
  for (const status of statuses) params.append('status', status);
  if (after) params.set('after', after);
  const search = params.toString();
  return search ? `/leads?${search}` : '/leads';
}
