import type { Knex } from '@solar/common';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { defineTable } from '../../engine/data/table.js';
import type { MatchKey } from './dedupe/match-keys.js';
import type { CreateLeadFullInput, UpdateLeadFullInput } from './lead-facts.js';
import type {
  CreateLeadInput,
  LeadFacts,
  LeadRecord,
  LeadSource,
  LeadStatus,
  StoredScore,
} from './lead-schema.js';
import type { Grade } from './scoring/score-lead.js';
import { countOnDemand, type LazyCount } from '../../engine/graphql/connection.js';

/** Leads are row-scoped by `leads:<action>:<scope>` on their owner and owning unit. */
export const leadsTable = defineTable({
  name: 'leads',
  resource: 'leads',
  ownerColumn: 'owner_id',
  unitColumn: 'unit_id',
  newestFirstScopeIndex: 'leads_newest_scope_index',
  unitClosure: 'leads_in_units',
});

/** API field → column, for updates. */
const COLUMNS: Record<keyof UpdateLeadFullInput, string> = {
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
  roofType: 'roof_type',
  roofAgeYears: 'roof_age_years',
  roofOrientation: 'roof_orientation',
  shading: 'shading',
  creditBand: 'credit_band',
  ownership: 'ownership',
  latitude: 'latitude',
  longitude: 'longitude',
};

/** Where a new lead goes and why (see lead-placement.ts). */
export interface LeadPlacement {
  ownerId: string | null;
  /** absent: the data-access layer puts the lead in the creator's primary team */
  unitId?: string | undefined;
  strategy: string | null;
  reason: string | null;
}

/** The stored score columns for a scoring result. */
export function scoreColumns(score: StoredScore): Row {
  return { score: score.score, grade: score.grade, score_explanation: JSON.stringify(score) };
}

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

/** Lists, counts and exports leave out leads merged into another (they stay readable by id). */
const whereOf = (q: LeadFilter) => (qb: Knex.QueryBuilder) => {
  qb.whereNull('leads.merged_into_id');
  if (q.statuses?.length) qb.whereIn('status', q.statuses);
  if (q.search) applySearch(qb, q.search);
};

/** Leads in the caller's tenant, always through the data-access layer (row scope, read-only tenants). */
export function leadRepository(data: DataAccess) {
  return {
    /** Inserts one lead through the data-access layer (create scope checked on owner and unit). */
    async insert(
      id: string,
      input: CreateLeadInput & Partial<CreateLeadFullInput>,
      placement: LeadPlacement,
      score: StoredScore,
      actorId: string,
    ): Promise<Row> {
      const row: Row = {
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
        roof_type: input.roofType ?? null,
        roof_age_years: input.roofAgeYears ?? null,
        roof_orientation: input.roofOrientation ?? null,
        shading: input.shading ?? null,
        credit_band: input.creditBand ?? null,
        ownership: input.ownership ?? null,
        latitude: input.latitude ?? null,
        longitude: input.longitude ?? null,
        ...scoreColumns(score),
        owner_id: placement.ownerId,
        // absent: the data-access layer defaults the unit to the creator's primary team
        ...(placement.unitId !== undefined ? { unit_id: placement.unitId } : {}),
        assignment_strategy: placement.strategy,
        assignment_reason: placement.reason?.slice(0, 500) ?? null,
        created_by: actorId,
      };
      await data.insert(leadsTable, row);
      return row;
    },

    /** A lead from a row this request wrote (for a lead that left the caller's sight as it was assigned). */
    fromRow: (row: Row) => toLead(row),

    /** The lead, locked for a change in the current transaction; undefined when not visible. */
    async lockVisible(id: string): Promise<LeadRecord | undefined> {
      const row = (await data.select(leadsTable).where('leads.id', id).forUpdate().first()) as
        Row | undefined;
      return row ? toLead(row) : undefined;
    },

    /** Changes fields (and/or the stored score) of one lead the caller may update. */
    async update(id: string, input: Partial<UpdateLeadFullInput>, extra: Row = {}): Promise<LeadRecord> {
      const patch: Row = { updated_at: new Date(), ...extra };
      for (const [field, value] of Object.entries(input))
        if (value !== undefined) patch[COLUMNS[field as keyof UpdateLeadFullInput]] = value;
      return toLead(await data.update(leadsTable, id, patch, 'update'));
    },

    /**
     * Sets owner / unit with the assign action, recording how and why. null when the lead left the caller's
     * sight by it (a rep handing a new lead to a teammate).
     */
    async place(id: string, placement: LeadPlacement): Promise<LeadRecord | null> {
      const patch: Row = {
        updated_at: new Date(),
        assignment_strategy: placement.strategy,
        assignment_reason: placement.reason?.slice(0, 500) ?? null,
      };
      if (placement.ownerId !== null) patch['owner_id'] = placement.ownerId;
      if (placement.unitId !== undefined) patch['unit_id'] = placement.unitId;
      const row = (await data.update(leadsTable, id, patch, 'assign')) as Row | undefined;
      return row ? toLead(row) : null;
    },

    /** Leads among `ids` the caller can read, locked for a change in the current transaction. */
    async lockVisibleMany(ids: readonly string[]): Promise<LeadRecord[]> {
      if (ids.length === 0) return [];
      const rows = (await data.select(leadsTable).whereIn('leads.id', ids).forUpdate()) as Row[];
      return rows.map(toLead);
    },

    /** Leads among `ids` the caller can read (and, with `action`, also act on). */
    async byIds(ids: readonly string[], action?: 'update'): Promise<LeadRecord[]> {
      if (ids.length === 0) return [];
      const qb = data.select(leadsTable, action).whereIn('leads.id', ids);
      return ((await qb) as Row[]).map(toLead);
    },

    /** Replaces the lead's match keys (after a change of email, phone or address). */
    async replaceMatchKeys(leadId: string, keys: readonly MatchKey[]): Promise<void> {
      await data.unscoped('lead_match_keys').where({ lead_id: leadId }).delete();
      await insertKeys(
        data,
        keys.map((k) => ({ leadId, ...k })),
      );
    },

    /** Many leads' keys at once, in chunks (imports). */
    /** Many leads' keys at once, in chunks (imports). */
    insertMatchKeys: (rows: ReadonlyArray<{ leadId: string } & MatchKey>) => insertKeys(data, rows),

    async deleteMatchKeys(leadIds: readonly string[]): Promise<void> {
      if (leadIds.length) await data.unscoped('lead_match_keys').whereIn('lead_id', leadIds).delete();
    },

    /**
     * Ids of other leads sharing any of the keys (an index lookup on (kind, value)). Any lead in the
     * tenant: the caller then loads them through the layer, which drops those out of their scope.
     */
    async leadIdsSharingKeys(
      keys: readonly MatchKey[],
      excludeId: string | null,
      limit: number,
    ): Promise<string[]> {
      if (keys.length === 0) return [];
      const qb = data
        .unscoped('lead_match_keys')
        .distinct('lead_id')
        .whereIn(
          ['kind', 'value'],
          keys.map((k) => [k.kind, k.value]),
        )
        .limit(limit);
      if (excludeId) qb.whereNot('lead_id', excludeId);
      return ((await qb) as Array<{ lead_id: string }>).map((r) => r.lead_id);
    },

    async assign(id: string, to: { ownerId?: string | null; unitId?: string | null }): Promise<LeadRecord> {
      const patch: Row = {
        updated_at: new Date(),
        assignment_strategy: 'manual',
        assignment_reason: 'Assigned by hand',
      };
      if (to.ownerId != null) patch['owner_id'] = to.ownerId;
      if (to.unitId != null) patch['unit_id'] = to.unitId;
      return toLead(await data.update(leadsTable, id, patch, 'assign'));
    },

    /** Deletes the lead; returns it as it was. */
    async delete(id: string): Promise<LeadRecord> {
      return toLead(await data.delete(leadsTable, id));
    },

    /** Counts by status over the leads the caller can read (and that match the filter). */
    async countByStatus(filter: LeadFilter): Promise<Map<string, number>> {
      const rows = await data.countBy(leadsTable, 'status', whereOf(filter));
      return new Map(rows.map((r) => [String(r.value), r.n]));
    },

    /** The leads the caller may export (read ∩ export scope), newest first, at most `limit`. */
    async exportRows(filter: LeadFilter, limit: number): Promise<LeadRecord[]> {
      return (await data.exportRows(leadsTable, { limit, where: whereOf(filter) })).map(toLead);
    },

    async findById(id: string): Promise<LeadRecord | null> {
      const row = await data.findById(leadsTable, id);
      return row ? toLead(row) : null;
    },

    /** Newest first, keyset-paged; totalCount counts the whole filtered list, when asked. */
    async list(q: LeadQuery): Promise<{ leads: LeadRecord[]; hasNextPage: boolean; totalCount: LazyCount }> {
      const where = whereOf(q);
      const page = await data.pageNewestFirst(leadsTable, {
        first: q.first,
        ...(q.afterId ? { beforeId: q.afterId } : {}),
        where,
      });
      return {
        leads: page.rows.map(toLead),
        hasNextPage: page.hasNextPage,
        totalCount: countOnDemand(() => data.count(leadsTable, where)),
      };
    },
  };
}
export type LeadRepository = ReturnType<typeof leadRepository>;

async function insertKeys(data: DataAccess, rows: ReadonlyArray<{ leadId: string } & MatchKey>) {
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000).map((r) => ({ lead_id: r.leadId, kind: r.kind, value: r.value }));
    await data.unscoped('lead_match_keys').insert(chunk).onConflict().ignore();
  }
}

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

function toLead(row: Row): LeadRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const firstName = String(row['first_name']);
  const lastName = String(row['last_name']);
  const explanation = row['score_explanation'];
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
    monthlyBill: num(row['monthly_bill']),
    notes: text(row['notes']),
    ownerId: text(row['owner_id']),
    unitId: text(row['unit_id']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
    roofType: text(row['roof_type']) as LeadFacts['roofType'],
    roofAgeYears: num(row['roof_age_years']),
    roofOrientation: text(row['roof_orientation']) as LeadFacts['roofOrientation'],
    shading: text(row['shading']) as LeadFacts['shading'],
    creditBand: text(row['credit_band']) as LeadFacts['creditBand'],
    ownership: text(row['ownership']) as LeadFacts['ownership'],
    latitude: num(row['latitude']),
    longitude: num(row['longitude']),
    score: num(row['score']),
    grade: text(row['grade']) as Grade | null,
    // JSON columns come back parsed on MySQL and as text on MariaDB
    scoreExplanation:
      explanation === null || explanation === undefined
        ? null
        : typeof explanation === 'string'
          ? (JSON.parse(explanation) as StoredScore)
          : (explanation as StoredScore),
    assignmentStrategy: text(row['assignment_strategy']),
    ...('last_activity_at' in row
      ? { lastActivityAt: (row['last_activity_at'] as Date | null) ?? null }
      : {}),
    assignmentReason: text(row['assignment_reason']),
    mergedIntoId: text(row['merged_into_id']),
  };
}
