import type { Knex } from '@solar/common';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { defineTable } from '../../engine/data/table.js';
import type { CreateLeadInput, Lead, LeadSource, LeadStatus, UpdateLeadInput } from './lead-schema.js';

/** Leads are row-scoped by `leads:<action>:<scope>` on their owner and owning unit. */
export const leadsTable = defineTable({
  name: 'leads',
  resource: 'leads',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
});

/** API field → column, for updates. */
const COLUMNS: Record<keyof UpdateLeadInput, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
  company: 'company',
  street: 'street',
  city: 'city',
  region: 'region',
  postalCode: 'postal_code',
  country: 'country',
  source: 'source',
  status: 'status',
  monthlyBill: 'monthly_bill',
  notes: 'notes',
};

/** Columns a search term is matched against, each by prefix, each indexed. */
const SEARCH_COLUMNS = ['first_name', 'last_name', 'email', 'phone', 'city'] as const;

export interface LeadFilter {
  statuses?: LeadStatus[];
  search?: string;
}
export interface LeadQuery extends LeadFilter {
  first: number;
  afterId?: string;
}

const whereOf = (q: LeadFilter) => (qb: Knex.QueryBuilder) => {
  if (q.statuses?.length) qb.whereIn('status', q.statuses);
  if (q.search) applySearch(qb, q.search);
};

/** Leads in the caller's tenant, always through the data-access layer (row scope, read-only tenants). */
export function leadRepository(data: DataAccess) {
  return {
    async insert(id: string, input: CreateLeadInput, actorId: string): Promise<void> {
      await data.insert(leadsTable, {
        id,
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        phone: input.phone,
        company: input.company,
        street: input.street,
        city: input.city,
        region: input.region,
        postal_code: input.postalCode,
        country: input.country,
        source: input.source,
        status: 'new',
        monthly_bill: input.monthlyBill,
        notes: input.notes,
        owner_id: actorId,
        created_by: actorId,
        // unit_id left out: the data-access layer defaults it to the creator's primary team
      });
    },

    async update(id: string, input: UpdateLeadInput): Promise<Lead> {
      const patch: Row = { updated_at: new Date() };
      for (const [field, value] of Object.entries(input))
        if (value !== undefined) patch[COLUMNS[field as keyof UpdateLeadInput]] = value;
      return toLead(await data.update(leadsTable, id, patch, 'update'));
    },

    async assign(id: string, to: { ownerId?: string | null; unitId?: string | null }): Promise<Lead> {
      const patch: Row = { updated_at: new Date() };
      if (to.ownerId != null) patch['owner_id'] = to.ownerId;
      if (to.unitId != null) patch['unit_id'] = to.unitId;
      return toLead(await data.update(leadsTable, id, patch, 'assign'));
    },

    async delete(id: string): Promise<void> {
      await data.delete(leadsTable, id);
    },

    /** Counts by status over the leads the caller can read (and that match the filter). */
    async countByStatus(filter: LeadFilter): Promise<Map<string, number>> {
      const rows = await data.countBy(leadsTable, 'status', whereOf(filter));
      return new Map(rows.map((r) => [String(r.value), r.n]));
    },

    /** The leads the caller may export (read ∩ export scope), newest first, at most `limit`. */
    async exportRows(filter: LeadFilter, limit: number): Promise<Lead[]> {
      return (await data.exportRows(leadsTable, { limit, where: whereOf(filter) })).map(toLead);
    },

    async findById(id: string): Promise<Lead | null> {
      const row = await data.findById(leadsTable, id);
      return row ? toLead(row) : null;
    },

    /** Newest first, keyset-paged; totalCount counts the whole filtered list. */
    async list(q: LeadQuery): Promise<{ leads: Lead[]; hasNextPage: boolean; totalCount: number }> {
      const where = whereOf(q);
      const [page, totalCount] = await Promise.all([
        data.pageNewestFirst(leadsTable, {
          first: q.first,
          ...(q.afterId ? { beforeId: q.afterId } : {}),
          where,
        }),
        data.count(leadsTable, where),
      ]);
      return { leads: page.rows.map(toLead), hasNextPage: page.hasNextPage, totalCount };
    },
  };
}
export type LeadRepository = ReturnType<typeof leadRepository>;

/** `!` is our LIKE escape character, so user-typed %, _ and ! match themselves. */
function prefixPattern(term: string): string {
  return `${term.replace(/[!%_]/g, '!$&')}%`;
}

/**
 * Prefix match on indexed columns (no leading wildcard, so MySQL can range-scan each index).
 * "Ada Lov" also matches first name "Ada*" with last name "Lov*".
 */
function applySearch(qb: Knex.QueryBuilder, search: string): void {
  const whole = prefixPattern(search);
  const words = search.split(/\s+/);
  qb.where((or) => {
    for (const column of SEARCH_COLUMNS) or.orWhereRaw('?? LIKE ? ESCAPE ?', [column, whole, '!']);
    if (words.length >= 2) {
      const [firstWord, ...rest] = words;
      or.orWhere((both) =>
        both
          .whereRaw('?? LIKE ? ESCAPE ?', ['first_name', prefixPattern(firstWord ?? ''), '!'])
          .whereRaw('?? LIKE ? ESCAPE ?', ['last_name', prefixPattern(rest.join(' ')), '!']),
      );
    }
  });
}

function toLead(row: Row): Lead {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const firstName = String(row['first_name']);
  const lastName = String(row['last_name']);
  return {
    id: String(row['id']),
    firstName,
    lastName,
    fullName: `${firstName} ${lastName}`,
    email: text(row['email']),
    phone: text(row['phone']),
    company: text(row['company']),
    street: text(row['street']),
    city: text(row['city']),
    region: text(row['region']),
    postalCode: text(row['postal_code']),
    country: String(row['country']),
    source: String(row['source']) as LeadSource,
    status: String(row['status']) as LeadStatus,
    // DECIMAL arrives as a string so no cents are lost in transit
    monthlyBill: row['monthly_bill'] === null ? null : Number(row['monthly_bill']),
    notes: text(row['notes']),
    ownerId: text(row['owner_id']),
    unitId: text(row['unit_id']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}
