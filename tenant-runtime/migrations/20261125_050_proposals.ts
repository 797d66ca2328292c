import type { Knex } from 'knex';
import type { Migration } from '@solar/common';

const ID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

/** kind-specific ratings (watts, acKw, kwh, …) live in `specs` JSON, exactly as catalogueItemSchema reads them */
interface SeedItem {
  id: string;
  kind: 'module' | 'inverter' | 'battery' | 'racking';
  manufacturer: string;
  model: string;
  unit_cost_cents: number;
  unit_price_cents: number;
  itc_eligible?: boolean;
  specs: Record<string, unknown>;
}

/** A small, realistic starting catalogue (2026 US residential prices); admins edit or extend it. */
export const DEFAULT_CATALOGUE: readonly SeedItem[] = [
  {
    id: 'qcells-410',
    kind: 'module',
    manufacturer: 'Qcells',
    model: 'Q.TRON BLK M-G2+ 410',
    unit_cost_cents: 18_000,
    unit_price_cents: 30_000,
    specs: { watts: 410 },
  },
  {
    id: 'rec-430',
    kind: 'module',
    manufacturer: 'REC',
    model: 'Alpha Pure-R 430',
    unit_cost_cents: 21_500,
    unit_price_cents: 34_000,
    specs: { watts: 430 },
  },
  {
    id: 'enphase-iq8m',
    kind: 'inverter',
    manufacturer: 'Enphase',
    model: 'IQ8M',
    unit_cost_cents: 16_000,
    unit_price_cents: 24_000,
    specs: { inverterType: 'micro', acKw: 0.325, modulesPerUnit: 1 },
  },
  {
    id: 'enphase-iq8plus',
    kind: 'inverter',
    manufacturer: 'Enphase',
    model: 'IQ8PLUS',
    unit_cost_cents: 14_500,
    unit_price_cents: 22_000,
    specs: { inverterType: 'micro', acKw: 0.29, modulesPerUnit: 1 },
  },
  {
    id: 'solaredge-se7600h',
    kind: 'inverter',
    manufacturer: 'SolarEdge',
    model: 'SE7600H-US',
    unit_cost_cents: 150_000,
    unit_price_cents: 220_000,
    specs: { inverterType: 'string', acKw: 7.6, modulesPerUnit: 1 },
  },
  {
    id: 'solaredge-se11400h',
    kind: 'inverter',
    manufacturer: 'SolarEdge',
    model: 'SE11400H-US',
    unit_cost_cents: 195_000,
    unit_price_cents: 285_000,
    specs: { inverterType: 'string', acKw: 11.4, modulesPerUnit: 1 },
  },
  {
    id: 'tesla-pw3',
    kind: 'battery',
    manufacturer: 'Tesla',
    model: 'Powerwall 3',
    unit_cost_cents: 900_000,
    unit_price_cents: 1_200_000,
    specs: { kwh: 13.5, powerKw: 11.5 },
  },
  {
    id: 'enphase-iq5p',
    kind: 'battery',
    manufacturer: 'Enphase',
    model: 'IQ Battery 5P',
    unit_cost_cents: 420_000,
    unit_price_cents: 580_000,
    specs: { kwh: 5, powerKw: 3.84 },
  },
  {
    id: 'ironridge-xr10',
    kind: 'racking',
    manufacturer: 'IronRidge',
    model: 'XR10 (per module)',
    unit_cost_cents: 4_000,
    unit_price_cents: 6_000,
    specs: {},
  },
];

/**
 * The tenant's equipment catalogue and its proposals. A proposal row is one version for one opportunity;
 * it has no owner or unit of its own, so it is exactly as visible as its opportunity (reads join through the
 * row-scoped opportunities table). The inputs (with the catalogue items and production estimate used) and the
 * computed figures are stored as JSON, so a sent version reads the same forever.
 */
export const proposalsInitial: Migration = {
  name: '20261125_050_proposals',
  async up(db: Knex) {
    const now = db.raw('CURRENT_TIMESTAMP(3)');
    await db.schema.createTable('equipment_catalogue', (t) => {
      t.string('id', 64).primary();
      t.enu('kind', ['module', 'inverter', 'battery', 'optimizer', 'racking']).notNullable();
      t.string('manufacturer', 100).notNullable();
      t.string('model', 100).notNullable();
      t.bigInteger('unit_cost_cents').notNullable();
      t.bigInteger('unit_price_cents').notNullable();
      t.boolean('itc_eligible').notNullable().defaultTo(true);
      t.text('specs').notNullable();
      t.boolean('active').notNullable().defaultTo(true);
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.index(['kind', 'active']);
    });
    await db('equipment_catalogue').insert(
      DEFAULT_CATALOGUE.map((i) => ({
        ...i,
        itc_eligible: i.itc_eligible ?? true,
        specs: JSON.stringify(i.specs),
      })),
    );
    await db.schema.createTable('proposals', (t) => {
      t.specificType('id', ID).primary();
      t.specificType('opportunity_id', ID)
        .notNullable()
        .references('id')
        .inTable('opportunities')
        .onDelete('CASCADE');
      t.smallint('version').unsigned().notNullable();
      t.enu('status', ['draft', 'sent', 'accepted', 'rejected', 'expired']).notNullable();
      t.timestamp('valid_until', { precision: 3 }).notNullable();
      t.timestamp('sent_at', { precision: 3 }).nullable();
      t.timestamp('decided_at', { precision: 3 }).nullable();
      t.smallint('superseded_by').unsigned().nullable().comment('version that replaced this one');
      t.specificType('input_json', 'LONGTEXT').notNullable();
      t.specificType('result_json', 'LONGTEXT').notNullable();
      t.specificType('created_by', ID).nullable();
      t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(now);
      t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(now);
      t.unique(['opportunity_id', 'version']);
      t.index(['status', 'valid_until']);
    });
  },
};
