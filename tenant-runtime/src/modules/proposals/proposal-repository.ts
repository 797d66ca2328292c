import type { DataAccess, Row } from '../../engine/data/data-access.js';
import { opportunitiesTable } from '../opportunities/opportunity-tables.js';
import type { ComputedProposal } from './compute-proposal.js';
import {
  catalogueItemSchema,
  type CatalogueItem,
  type EquipmentKind,
  type ParsedProposalInput,
  type SiteLocation,
} from './proposal-schema.js';
import type { ProposalStatus, ProposalVersion } from './proposal-status.js';
import { CATALOGUE_TABLE, PROPOSALS_TABLE } from './proposal-tables.js';

/** The engine's input as stored with a version, plus where the array is (to recompute or copy it). */
export type StoredProposalInput = ParsedProposalInput & { location: SiteLocation };

/** One stored proposal version with what it was computed from and what came out. */
export interface Proposal extends ProposalVersion {
  id: string;
  opportunityId: string;
  input: StoredProposalInput;
  result: ComputedProposal;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const date = (v: unknown) => (v === null || v === undefined ? null : (v as Date));

function toProposal(row: Row): Proposal {
  return {
    id: String(row['id']),
    opportunityId: String(row['opportunity_id']),
    version: Number(row['version']),
    status: row['status'] as ProposalStatus,
    validUntil: row['valid_until'] as Date,
    sentAt: date(row['sent_at']),
    decidedAt: date(row['decided_at']),
    supersededBy: row['superseded_by'] === null ? null : Number(row['superseded_by']),
    input: JSON.parse(String(row['input_json'])) as StoredProposalInput,
    result: JSON.parse(String(row['result_json'])) as ComputedProposal,
    createdBy: row['created_by'] === null ? null : String(row['created_by']),
    createdAt: row['created_at'] as Date,
    updatedAt: row['updated_at'] as Date,
  };
}

function toCatalogueItem(row: Row): CatalogueItem {
  const specs = JSON.parse(String(row['specs'])) as Record<string, unknown>;
  return catalogueItemSchema.parse({
    ...specs,
    id: row['id'],
    kind: row['kind'],
    manufacturer: row['manufacturer'],
    model: row['model'],
    unitCostCents: Number(row['unit_cost_cents']),
    unitPriceCents: Number(row['unit_price_cents']),
    itcEligible: Boolean(row['itc_eligible']),
  });
}

const P = PROPOSALS_TABLE;
const O = opportunitiesTable.name;

/**
 * Proposals and the equipment catalogue. Every proposal read joins through the opportunities the caller may
 * read (the data-access layer's row scope), so a proposal is visible exactly when its opportunity is; writes
 * happen only after the service has locked that opportunity with the update right.
 */
export function proposalRepository(data: DataAccess) {
  const visible = () =>
    data.select(opportunitiesTable).join(P, `${P}.opportunity_id`, `${O}.id`).select(`${P}.*`);

  return {
    async findById(id: string): Promise<Proposal | null> {
      const row = (await visible().where(`${P}.id`, id).first()) as Row | undefined;
      return row ? toProposal(row) : null;
    },

    /** Every version of the opportunity's proposal, newest first; [] when the opportunity is not visible. */
    async versionsOf(opportunityId: string): Promise<Proposal[]> {
      const rows = (await visible()
        .where(`${P}.opportunity_id`, opportunityId)
        .orderBy(`${P}.version`, 'desc')) as Row[];
      return rows.map(toProposal);
    },

    /** Only after the opportunity was locked for update by the caller (see proposal-service). */
    async lockVersions(opportunityId: string): Promise<Proposal[]> {
      const rows = (await data
        .unscoped(P)
        .where({ opportunity_id: opportunityId })
        .orderBy('version', 'desc')
        .forUpdate()) as Row[];
      return rows.map(toProposal);
    },

    async insert(p: Omit<Proposal, 'createdAt' | 'updatedAt'>): Promise<void> {
      await data.unscoped(P).insert({
        id: p.id,
        opportunity_id: p.opportunityId,
        version: p.version,
        status: p.status,
        valid_until: p.validUntil,
        sent_at: p.sentAt,
        decided_at: p.decidedAt,
        superseded_by: p.supersededBy,
        input_json: JSON.stringify(p.input),
        result_json: JSON.stringify(p.result),
        created_by: p.createdBy,
      });
    },

    async update(
      id: string,
      patch: Partial<
        Pick<Proposal, 'status' | 'validUntil' | 'sentAt' | 'decidedAt' | 'supersededBy' | 'input' | 'result'>
      >,
    ): Promise<void> {
      const row: Row = { updated_at: new Date() };
      if (patch.status !== undefined) row['status'] = patch.status;
      if (patch.validUntil !== undefined) row['valid_until'] = patch.validUntil;
      if (patch.sentAt !== undefined) row['sent_at'] = patch.sentAt;
      if (patch.decidedAt !== undefined) row['decided_at'] = patch.decidedAt;
      if (patch.supersededBy !== undefined) row['superseded_by'] = patch.supersededBy;
      if (patch.input !== undefined) row['input_json'] = JSON.stringify(patch.input);
      if (patch.result !== undefined) row['result_json'] = JSON.stringify(patch.result);
      await data.unscoped(P).where({ id }).update(row);
    },

    /** The items on offer (with `includeRetired`, retired ones too), by kind, maker and model. */
    async catalogue(
      kind?: EquipmentKind,
      includeRetired = false,
    ): Promise<Array<CatalogueItem & { active: boolean }>> {
      const qb = data.unscoped(CATALOGUE_TABLE).orderBy(['kind', 'manufacturer', 'model']);
      if (!includeRetired) qb.where({ active: true });
      if (kind) qb.where({ kind });
      return ((await qb) as Row[]).map((r) => ({ ...toCatalogueItem(r), active: Boolean(r['active']) }));
    },

    async catalogueItems(ids: readonly string[]): Promise<CatalogueItem[]> {
      if (!ids.length) return [];
      const rows = (await data
        .unscoped(CATALOGUE_TABLE)
        .whereIn('id', [...ids])
        .where({ active: true })) as Row[];
      return rows.map(toCatalogueItem);
    },
  };
}
export type ProposalRepository = ReturnType<typeof proposalRepository>;
