import type { Knex } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import { demoLeadTeam, type DemoStaff } from './demo-access.js';
import { pick, seededRandom, weighted } from './random.js';

/** Towns the demo teams sell in, with a centre point to scatter sites around and the local utility. */
const CITIES = [
  { city: 'Phoenix', region: 'AZ', zip3: '850', lat: 33.4484, lon: -112.074, utility: 'APS' },
  { city: 'Mesa', region: 'AZ', zip3: '852', lat: 33.4152, lon: -111.8315, utility: 'SRP' },
  {
    city: 'Tucson',
    region: 'AZ',
    zip3: '857',
    lat: 32.2226,
    lon: -110.9747,
    utility: 'Tucson Electric Power',
  },
  { city: 'Albuquerque', region: 'NM', zip3: '871', lat: 35.0844, lon: -106.6504, utility: 'PNM' },
  { city: 'Austin', region: 'TX', zip3: '787', lat: 30.2672, lon: -97.7431, utility: 'Austin Energy' },
  { city: 'San Antonio', region: 'TX', zip3: '782', lat: 29.4241, lon: -98.4936, utility: 'CPS Energy' },
  { city: 'Houston', region: 'TX', zip3: '770', lat: 29.7604, lon: -95.3698, utility: 'CenterPoint' },
  { city: 'Denver', region: 'CO', zip3: '802', lat: 39.7392, lon: -104.9903, utility: 'Xcel Energy' },
] as const;
const FIRST = ['Olivia', 'Liam', 'Emma', 'Noah', 'Sophia', 'Mateo', 'Isabella', 'Ethan', 'Mia', 'Lucas'];
const MORE_FIRST = [
  'Amelia',
  'Harper',
  'Elijah',
  'Wei',
  'Fatima',
  'Diego',
  'Hannah',
  'Omar',
  'Kenji',
  'Nora',
];
const LAST = ['Garcia', 'Smith', 'Johnson', 'Martinez', 'Brown', 'Nguyen', 'Davis', 'Lopez', 'Wilson'];
const MORE_LAST = ['Patel', 'Kim', 'Robinson', 'Walker', 'Chen', 'Rivera', 'Torres', 'Okafor', 'Silva'];
const STREETS = ['Mesquite Dr', 'Saguaro Ln', 'Palm Ave', 'Juniper St', 'Cottonwood Ave', 'Aspen Ct'];
const BUSINESSES = [
  'Desert Sun Dental',
  'Lone Star Storage',
  'Red Rock Brewing',
  'Bayview Apartments',
  'Valley Cold Storage',
  'Sunrise Auto Body',
  'Mesa Vineyards',
  'Canyon Self Storage',
  'Riverwalk Hotel',
  'Frontier Logistics',
];
const ROOFS = ['asphalt_shingle', 'tile', 'metal', 'flat_membrane', 'ground_mount'] as const;
const LOST_REASONS = [
  'Went with a cheaper competitor.',
  'Roof needs replacing first; revisit next year.',
  'HOA did not approve the design.',
  'Financing not approved.',
  'Decided to wait for lower interest rates.',
];
/** The default pipeline (tenant-runtime migration 011) with its default probabilities. */
const STAGES = [
  ['qualification', 10, 18],
  ['site_survey', 20, 14],
  ['design', 40, 13],
  ['proposal', 60, 12],
  ['negotiation', 80, 9],
  ['won', 100, 8],
  ['lost', 0, 6],
] as const;

const ACCOUNT_COUNT = 60;
const SECOND_OPPORTUNITIES = 20; // accounts with a second opportunity (an add-on battery, a carport…)
const DAY = 24 * 3600 * 1000;

interface Rows {
  accounts: Record<string, unknown>[];
  contacts: Record<string, unknown>[];
  sites: Record<string, unknown>[];
  opportunities: Record<string, unknown>[];
  history: Record<string, unknown>[];
}

/**
 * ~60 customer accounts (mostly households, some businesses) with contacts and sites, and ~80 opportunities
 * spread over the pipeline. Deterministic: the same seed gives the same ids and values, so writing them twice
 * changes nothing. Owners are the reps (their team's unit), the sales manager and the admin (unit by city).
 */
export function demoSales(staff: readonly DemoStaff[], now = Date.UTC(2026, 10, 20), seed = 20261125): Rows {
  const rand = seededRandom(seed);
  const id = (ms: number) =>
    uuidv7({ msecs: ms, random: Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)) });
  const byEmail = (email: string) => staff.find((s) => s.email === email)?.id ?? null;
  const owners = [
    'priya.rep@acme.example',
    'priya.rep@acme.example',
    'jordan.rep@acme.example',
    'jordan.rep@acme.example',
    'marcus.sales@acme.example',
    'ava.admin@acme.example',
  ]
    .map(byEmail)
    .filter((o): o is string => o !== null);
  const rows: Rows = { accounts: [], contacts: [], sites: [], opportunities: [], history: [] };

  for (let i = 0; i < ACCOUNT_COUNT; i++) {
    const place = pick(rand, CITIES);
    const commercial = rand() < 0.18;
    const first = pick(rand, i % 2 ? FIRST : MORE_FIRST);
    const last = pick(rand, i % 3 ? LAST : MORE_LAST);
    const createdMs = now - Math.floor((30 + rand() * 150) * DAY);
    const created = new Date(createdMs);
    const accountId = id(createdMs);
    const owner = owners.length ? pick(rand, owners) : null;
    const unit = demoLeadTeam({ id: accountId, city: place.city, owner_id: owner }, staff);
    const street = `${100 + Math.floor(rand() * 9800)} ${pick(rand, STREETS)}`;
    const postal = `${place.zip3}${String(Math.floor(rand() * 100)).padStart(2, '0')}`;
    const scoped = { owner_id: owner, unit_id: unit, created_at: created, updated_at: created };
    const name = commercial ? BUSINESSES[i % BUSINESSES.length]! : `${first} ${last} residence`;
    rows.accounts.push({
      id: accountId,
      kind: commercial ? 'commercial' : 'residential',
      name: commercial && i >= BUSINESSES.length ? `${name} – ${place.city}` : name,
      billing_street: street,
      billing_city: place.city,
      billing_region: place.region,
      billing_postal_code: postal,
      billing_country: 'US',
      created_by: owner,
      ...scoped,
    });
    const domain = commercial ? `${name.toLowerCase().replace(/[^a-z]+/g, '')}.example` : 'example.com';
    rows.contacts.push({
      id: id(createdMs),
      account_id: accountId,
      first_name: first,
      last_name: last,
      email: `${first}.${last}${i}@${domain}`.toLowerCase(),
      phone: `+1555${String(2000000 + Math.floor(rand() * 7999999))}`,
      title: commercial ? 'Facilities manager' : null,
      is_primary: true,
      ...scoped,
    });
    if (commercial || rand() < 0.3) {
      const other = pick(rand, MORE_FIRST);
      rows.contacts.push({
        id: id(createdMs),
        account_id: accountId,
        first_name: other,
        last_name: commercial ? pick(rand, MORE_LAST) : last,
        email: `${other}.${i}@${domain}`.toLowerCase(),
        phone: null,
        title: commercial ? 'Owner' : null,
        is_primary: false,
        ...scoped,
      });
    }
    const usage = Math.round(commercial ? 60000 + rand() * 240000 : 7000 + rand() * 11000);
    const siteId = id(createdMs);
    rows.sites.push({
      id: siteId,
      account_id: accountId,
      label: commercial ? 'Main building' : 'Home',
      street,
      city: place.city,
      region: place.region,
      postal_code: postal,
      country: 'US',
      // within ~10 km of the town centre
      latitude: Math.round((place.lat + (rand() - 0.5) * 0.18) * 1e6) / 1e6,
      longitude: Math.round((place.lon + (rand() - 0.5) * 0.18) * 1e6) / 1e6,
      utility: place.utility,
      meter_number: `M${100000 + Math.floor(rand() * 899999)}`,
      roof_type: commercial ? pick(rand, ['flat_membrane', 'metal'] as const) : pick(rand, ROOFS),
      roof_pitch_deg: commercial ? 2 : Math.round(10 + rand() * 30),
      roof_azimuth_deg: Math.round(120 + rand() * 120),
      shading: weighted(rand, [
        ['none', 40],
        ['light', 35],
        ['moderate', 18],
        ['heavy', 7],
      ] as const),
      annual_usage_kwh: usage,
      average_monthly_bill: Math.round((usage * 0.14 * 100) / 12) / 100,
      ...scoped,
    });

    const deals = i < SECOND_OPPORTUNITIES ? 2 : 1;
    for (let d = 0; d < deals; d++) {
      const [stage, probability] = weighted(
        rand,
        STAGES.map((s) => [[s[0], s[1]] as const, s[2]] as const),
      );
      const kw = Math.round((commercial ? 40 + rand() * 160 : 4 + rand() * 10) * 10) / 10;
      const oppCreatedMs = createdMs + Math.floor(rand() * 20 * DAY) + d * 15 * DAY;
      const oppCreated = new Date(oppCreatedMs);
      const closed = stage === 'won' || stage === 'lost';
      const closeMs = closed
        ? Math.min(now - DAY, oppCreatedMs + Math.floor((20 + rand() * 60) * DAY))
        : now + Math.floor((7 + rand() * 110) * DAY);
      const oppId = id(oppCreatedMs);
      const what = d === 0 ? `${kw} kW ${commercial ? 'rooftop array' : 'rooftop'}` : 'battery add-on';
      const lostReason = stage === 'lost' ? pick(rand, LOST_REASONS) : null;
      rows.opportunities.push({
        id: oppId,
        name: `${commercial ? name : `${last} residence`} ${what}`,
        account_id: accountId,
        site_id: siteId,
        lead_id: null,
        stage_id: stage,
        amount_cents: Math.round(kw * (commercial ? 2100 : 2900) * (d === 0 ? 1 : 0.45)) * 100,
        system_size_kw: d === 0 ? kw : null,
        probability,
        expected_close_date: new Date(closeMs).toISOString().slice(0, 10),
        lost_reason: lostReason,
        closed_at: closed ? new Date(closeMs) : null,
        owner_id: owner,
        unit_id: unit,
        created_by: owner,
        created_at: oppCreated,
        updated_at: closed ? new Date(closeMs) : oppCreated,
      });
      // the creation entry, then (for anything past the first stage) the move to where it is now
      rows.history.push({
        id: id(oppCreatedMs),
        opportunity_id: oppId,
        from_stage_id: null,
        to_stage_id: 'qualification',
        reason: null,
        changed_by: owner,
        owner_id: owner,
        unit_id: unit,
        created_at: oppCreated,
      });
      if (stage !== 'qualification') {
        const movedMs = closed ? closeMs : oppCreatedMs + Math.floor(rand() * 10 * DAY);
        rows.history.push({
          id: id(movedMs),
          opportunity_id: oppId,
          from_stage_id: 'qualification',
          to_stage_id: stage,
          reason: lostReason,
          changed_by: owner,
          owner_id: owner,
          unit_id: unit,
          created_at: new Date(Math.min(movedMs, now)),
        });
      }
    }
  }
  return rows;
}

/**
 * Writes the demo customers and pipeline into the tenant schema (insert-if-missing by fixed id) and answers a
 * line for the start-up log.
 */
export async function seedDemoSales(db: Knex, staff: readonly DemoStaff[]): Promise<string> {
  const rows = demoSales(staff);
  const count = async (table: string) =>
    Number(((await db(table).count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
  const before = await count('opportunities');
  const accountsBefore = await count('accounts');
  // parents first: contacts, sites and opportunities reference accounts (and sites)
  for (const table of ['accounts', 'contacts', 'sites', 'opportunities'] as const) {
    await db(table).insert(rows[table]).onConflict().ignore();
  }
  await db('opportunity_stage_history').insert(rows.history).onConflict().ignore();
  const accounts = (await count('accounts')) - accountsBefore;
  const opportunities = (await count('opportunities')) - before;
  return accounts || opportunities
    ? `seeded ${accounts} demo customers and ${opportunities} opportunities`
    : 'demo customers and pipeline already present';
}
