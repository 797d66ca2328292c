import { createHmac } from 'node:crypto';
import type { Knex } from '@solar/common';
import { computeProposal } from '@solar/tenant-runtime/modules/proposals/compute-proposal';
import { createProductionEstimator } from '@solar/tenant-runtime/modules/proposals/production-estimate';
import { PVWATTS_DEFAULT_URL } from '@solar/tenant-runtime/modules/proposals/pvwatts-client';
import {
  catalogueItemSchema,
  type CatalogueItem,
  systemDesignSchema,
  type FinancingOption,
  type SystemDesign,
} from '@solar/tenant-runtime/modules/proposals/proposal-schema';
import { sizeSystem } from '@solar/tenant-runtime/modules/proposals/system-size';
import { hashFormKey } from '@solar/tenant-runtime/modules/forms/form-key';
import { v7 as uuidv7 } from 'uuid';
import type { DemoStaff } from './demo-access.js';
import { pick, seededRandom, weighted } from './random.js';

/*
 * The acme demo's day-to-day work on top of its customers and pipeline (demo-sales.ts) and leads
 * (demo-leads.ts): proposals with versions in every status, activities (calls, emails, meetings, notes,
 * tasks — some overdue, some due today) on leads, accounts and opportunities, and a web lead form.
 * Ids and contents come from a seed, so a second start inserts nothing (INSERT IGNORE by id); dates that
 * should look current (task due dates, offer validity) are relative to the first start.
 */

type Row = Record<string, unknown>;
const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
/** The demo's fixed "today" for ids and history, as demo-sales.ts and demo-leads.ts use. */
const DEMO_NOW = Date.UTC(2026, 10, 20);

export interface DemoWorkInput {
  staff: readonly DemoStaff[];
  /** demo-sales.ts rows */
  accounts: readonly Row[];
  contacts: readonly Row[];
  sites: readonly Row[];
  opportunities: readonly Row[];
  /** demo-leads.ts rows */
  leads: ReadonlyArray<{ id: string; status: string; owner_id: string | null; created_at: Date }>;
  /** the tenant's equipment catalogue */
  catalogue: readonly CatalogueItem[];
  /** the real time of the first start: due dates and validity read naturally from it */
  now: number;
}

export interface DemoWork {
  proposals: Row[];
  activities: Row[];
}

const offline = createProductionEstimator({ PVWATTS_BASE_URL: PVWATTS_DEFAULT_URL, PVWATTS_TIMEOUT_MS: 1 });

/** Financing a rep would offer: always cash and a loan; a lease or a PPA on some. */
function financingFor(rand: () => number): FinancingOption[] {
  const options: FinancingOption[] = [
    { kind: 'cash', label: 'Cash' },
    {
      kind: 'loan',
      label: '25-year solar loan',
      apr: weighted(rand, [
        [0.0599, 2],
        [0.0699, 3],
        [0.0799, 1],
      ] as const),
      termMonths: 300,
      downPaymentCents: 0,
      dealerFeeRate: 0,
      paydown: { month: 18 },
    },
  ];
  if (rand() < 0.5)
    options.push({
      kind: 'lease',
      label: '20-year lease',
      monthlyPaymentCents: 11_900 + Math.floor(rand() * 6) * 1_000,
      annualEscalator: 0.029,
      termYears: 20,
      upfrontCents: 0,
    });
  else
    options.push({
      kind: 'ppa',
      label: '25-year PPA',
      rateCentsPerKwh: 11.5 + Math.floor(rand() * 4) / 2,
      annualEscalator: 0.025,
      termYears: 25,
    });
  return options;
}

/** A residential design from the catalogue sized near `kw`: modules, microinverters or a string inverter, racking, maybe a battery. */
function designFor(rand: () => number, kw: number, withBattery: boolean): SystemDesign {
  const module = rand() < 0.6 ? { id: 'qcells-410', w: 410 } : { id: 'rec-430', w: 430 };
  const modules = Math.max(8, Math.min(60, Math.round((kw * 1000) / module.w)));
  const micro = rand() < 0.6;
  const lines = [
    { catalogueItemId: module.id, quantity: modules },
    micro
      ? { catalogueItemId: 'enphase-iq8m', quantity: modules }
      : {
          catalogueItemId: modules * module.w > 9_000 ? 'solaredge-se11400h' : 'solaredge-se7600h',
          quantity: 1,
        },
    { catalogueItemId: 'ironridge-xr10', quantity: modules },
    ...(withBattery ? [{ catalogueItemId: 'tesla-pw3', quantity: 1 }] : []),
  ];
  return systemDesignSchema.parse({
    lines,
    tilt: 15 + Math.floor(rand() * 20),
    azimuth: 150 + Math.floor(rand() * 60),
  });
}

/** Which proposal story each opportunity stage tells: versions and their statuses, oldest first. */
const STORIES: Record<
  string,
  ReadonlyArray<ReadonlyArray<'draft' | 'sent' | 'accepted' | 'rejected' | 'expired'>>
> = {
  proposal: [['draft'], ['sent', 'draft']],
  negotiation: [['sent'], ['expired', 'sent']],
  won: [['accepted'], ['sent', 'accepted']],
  lost: [['rejected'], ['expired']],
};

export async function demoWork(input: DemoWorkInput, seed = 20261201): Promise<DemoWork> {
  const rand = seededRandom(seed);
  const id = (ms: number) =>
    uuidv7({ msecs: ms, random: Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256)) });
  const site = new Map(input.sites.map((s) => [s['id'], s]));
  const proposals: Row[] = [];

  // ---- proposals: up to four opportunities per stage that has an offer on the table
  for (const [stage, stories] of Object.entries(STORIES)) {
    const opps = input.opportunities.filter((o) => o['stage_id'] === stage && o['system_size_kw'] !== null);
    for (const [n, opp] of opps.slice(0, 4).entries()) {
      const story = stories[n % stories.length]!;
      const s = site.get(opp['site_id']);
      const kw = Math.min(Number(opp['system_size_kw']), 24);
      const location = { lat: Number(s?.['latitude'] ?? 33.45), lon: Number(s?.['longitude'] ?? -112.07) };
      const usage = Number(s?.['annual_usage_kwh'] ?? 11_000);
      const created = new Date(opp['created_at'] as Date).getTime() + 5 * DAY;
      for (const [v, status] of story.entries()) {
        const design = designFor(rand, kw * (v === 0 ? 1 : 0.9), rand() < 0.35);
        const size = sizeSystem(design, input.catalogue);
        const production = await offline(design, size, location);
        const engineInput = {
          design,
          catalogue: input.catalogue.filter((c) => design.lines.some((l) => l.catalogueItemId === c.id)),
          pricing: {
            method: { kind: 'per_watt', centsPerWatt: 280 + Math.floor(rand() * 8) * 10 },
            adders:
              rand() < 0.3
                ? [
                    {
                      code: 'main_panel_upgrade',
                      label: 'Main panel upgrade',
                      kind: 'fixed',
                      amountCents: 250_000,
                    },
                  ]
                : [],
            discounts: v > 0 ? [{ label: 'Revised offer', kind: 'percent', rate: 0.03 }] : [],
          },
          incentives: { federalItcRate: 0.3, rebates: [] },
          utility: { annualUsageKwh: Math.min(usage, 40_000), rateCentsPerKwh: 14 + Math.floor(rand() * 8) },
          financing: financingFor(rand),
          production,
          analysis: { years: 25, moduleDegradationRate: 0.005 },
        };
        const at = created + v * 9 * DAY;
        const sent = status !== 'draft';
        const decided = status === 'accepted' || status === 'rejected';
        const latest = v === story.length - 1;
        proposals.push({
          id: id(at),
          opportunity_id: opp['id'],
          version: v + 1,
          status,
          // a live offer stays valid a while from the first start; an expired one ran out before it
          valid_until: new Date(
            status === 'expired' ? input.now - 10 * DAY : latest ? input.now + 21 * DAY : at + 30 * DAY,
          ),
          sent_at: sent ? new Date(at + DAY) : null,
          decided_at: decided ? new Date(at + 6 * DAY) : null,
          superseded_by: latest ? null : story.length,
          input_json: JSON.stringify({ ...engineInput, location }),
          result_json: JSON.stringify(computeProposal(engineInput)),
          created_by: opp['owner_id'],
          created_at: new Date(at),
          updated_at: new Date(at + (decided ? 6 : sent ? 1 : 0) * DAY),
        });
      }
    }
  }

  // ---- activities
  const activities: Row[] = [];
  const log = (row: Row & { subject_type: string; subject_id: unknown; at: number }) => {
    const { at, ...rest } = row;
    activities.push({
      id: id(at),
      title: null,
      body: null,
      call_outcome: null,
      duration_seconds: null,
      email_direction: null,
      starts_at: null,
      ends_at: null,
      due_at: null,
      reminder_at: null,
      assignee_id: null,
      completed_at: null,
      completed_by: null,
      created_at: new Date(at),
      updated_at: new Date(at),
      ...rest,
    });
  };
  const CALL_NOTES = [
    'Interested; wants to see numbers with a battery.',
    'Asked about the federal tax credit and payback.',
    'Spouse needs to be on the next call.',
    'Left a voicemail about the site survey slot.',
  ];
  // leads: a first call (and often an email) on the ones someone has worked
  for (const lead of input.leads.filter((l) => l.status !== 'new').slice(0, 60)) {
    const at = lead.created_at.getTime() + Math.floor(1 + rand() * 3) * DAY;
    if (at > DEMO_NOW) continue;
    const by = lead.owner_id;
    const outcome = weighted(rand, [
      ['connected', 5],
      ['no_answer', 2],
      ['left_voicemail', 2],
      ['busy', 1],
    ] as const);
    log({
      kind: 'call',
      subject_type: 'lead',
      subject_id: lead.id,
      at,
      call_outcome: outcome,
      duration_seconds: outcome === 'connected' ? 120 + Math.floor(rand() * 900) : null,
      body: outcome === 'connected' ? pick(rand, CALL_NOTES) : null,
      created_by: by,
    });
    if (rand() < 0.5)
      log({
        kind: 'email',
        subject_type: 'lead',
        subject_id: lead.id,
        at: at + HOUR,
        email_direction: 'outbound',
        title: 'Your free solar estimate',
        body: 'Thanks for your time today — here is what we discussed.',
        created_by: by,
      });
  }
  // accounts: a note and an inbound email on the first customers
  for (const account of input.accounts.slice(0, 30)) {
    const at = new Date(account['created_at'] as Date).getTime() + 2 * DAY;
    const by = account['owner_id'];
    log({
      kind: 'note',
      subject_type: 'account',
      subject_id: account['id'],
      at,
      body: pick(rand, [
        'Gate code 4417; dog in the yard.',
        'Prefers texts after 5 pm.',
        'HOA approval needed for front-facing panels.',
        'Referred by a neighbour on the same street.',
      ]),
      created_by: by,
    });
    if (rand() < 0.4)
      log({
        kind: 'email',
        subject_type: 'account',
        subject_id: account['id'],
        at: at + DAY,
        email_direction: 'inbound',
        title: 'Question about my utility bill',
        body: 'Can you explain the net-metering credit?',
        created_by: by,
      });
  }
  // a customer's people and places: a call with a contact, a note on a site (they roll up to the customer)
  for (const contact of input.contacts.slice(0, 25)) {
    const at = new Date(contact['created_at'] as Date).getTime() + 3 * DAY + 2 * HOUR;
    if (at > DEMO_NOW) continue;
    log({
      kind: 'call',
      subject_type: 'contact',
      subject_id: contact['id'],
      at,
      call_outcome: 'connected',
      duration_seconds: 240 + Math.floor(rand() * 600),
      body: pick(rand, [
        'Walked through the install day: about 8 hours, power off for 2.',
        'Confirmed the best number for the crew lead.',
        'Wants the monitoring app set up for both phones.',
      ]),
      created_by: contact['owner_id'],
    });
  }
  for (const s of input.sites.slice(0, 25)) {
    const at = new Date(s['created_at'] as Date).getTime() + 4 * DAY;
    if (at > DEMO_NOW) continue;
    log({
      kind: 'note',
      subject_type: 'site',
      subject_id: s['id'],
      at,
      body: pick(rand, [
        'Main panel is 100 A; a 200 A upgrade may be needed for the battery.',
        'Meter on the north wall, easy access from the driveway.',
        'Composite shingle roof replaced in 2019; rafters 24" on centre.',
      ]),
      created_by: s['owner_id'],
    });
  }
  // a proposal that went out: the email that sent it, on that version
  for (const p of proposals.filter((p) => p['sent_at'] !== null)) {
    log({
      kind: 'email',
      subject_type: 'proposal',
      subject_id: p['id'],
      at: (p['sent_at'] as Date).getTime(),
      email_direction: 'outbound',
      title: `Your solar proposal (version ${String(p['version'])})`,
      body: 'Attached: the system design, the savings estimate and your financing options.',
      created_by: p['created_by'],
    });
  }
  // open opportunities: a site-survey meeting and follow-up tasks — overdue, due today, upcoming, done
  const open = input.opportunities.filter((o) => !['won', 'lost'].includes(String(o['stage_id'])));
  const endOfToday =
    Date.UTC(
      new Date(input.now).getUTCFullYear(),
      new Date(input.now).getUTCMonth(),
      new Date(input.now).getUTCDate() + 1,
    ) - 1;
  for (const [i, opp] of open.slice(0, 40).entries()) {
    const at = new Date(opp['created_at'] as Date).getTime() + DAY;
    const by = opp['owner_id'];
    const meetAt = at + 3 * DAY + 15 * HOUR;
    log({
      kind: 'meeting',
      subject_type: 'opportunity',
      subject_id: opp['id'],
      at,
      title: 'Site survey',
      starts_at: new Date(meetAt),
      ends_at: new Date(meetAt + 90 * 60_000),
      body: 'Measure the roof and check the main panel.',
      created_by: by,
    });
    const due = [
      input.now - (1 + (i % 5)) * DAY, // overdue
      Math.min(endOfToday, input.now + 2 * HOUR), // due today
      input.now + (2 + (i % 10)) * DAY, // upcoming
    ][i % 3]!;
    const title = pick(rand, [
      'Send the revised design',
      'Call about financing approval',
      'Book the site survey',
      'Chase the signed utility authorization',
    ]);
    const done = i % 7 === 6;
    log({
      kind: 'task',
      subject_type: 'opportunity',
      subject_id: opp['id'],
      at: at + DAY,
      title,
      due_at: new Date(due),
      reminder_at: new Date(due - HOUR),
      assignee_id: by,
      created_by: by,
      completed_at: done ? new Date(Math.min(due, input.now)) : null,
      completed_by: done ? by : null,
    });
  }
  return { proposals, activities };
}

/** Catalogue rows as stored (ratings in `specs`) → the engine's items. */
export function catalogueFromRows(rows: ReadonlyArray<object>): CatalogueItem[] {
  return (rows as readonly Row[]).map((r) =>
    catalogueItemSchema.parse({
      ...(typeof r['specs'] === 'string' ? JSON.parse(r['specs']) : r['specs']),
      id: r['id'],
      kind: r['kind'],
      manufacturer: r['manufacturer'],
      model: r['model'],
      unitCostCents: Number(r['unit_cost_cents']),
      unitPriceCents: Number(r['unit_price_cents']),
      itcEligible: r['itc_eligible'] === undefined ? true : Boolean(r['itc_eligible']),
    }),
  );
}

/** The demo form's key: derived from the platform secret, so it is the same on every start of this install. */
export function demoFormKey(secretKey: Buffer): string {
  return `fk_${createHmac('sha256', secretKey).update('acme-demo-lead-form').digest('base64url').slice(0, 32)}`;
}

/** The acme website's quote form. */
export function demoLeadForm(staff: readonly DemoStaff[], secretKey: Buffer): Row {
  const key = demoFormKey(secretKey);
  const admin = staff.find((s) => s.email === 'ava.admin@acme.example') ?? staff[0]!;
  return {
    id: '0190c100-0000-7000-8000-00000000f001',
    name: 'Website quote form',
    key_hash: hashFormKey(key),
    key_prefix: key.slice(0, 11),
    default_source: 'web_form',
    owner_id: null,
    allowed_origins: JSON.stringify(['http://localhost:5173', 'https://www.acme-solar.example']),
    fields: JSON.stringify(['email', 'phone', 'postalCode', 'monthlyBill', 'notes']),
    required_fields: JSON.stringify(['email']),
    min_fill_seconds: 3,
    daily_cap: 500,
    enabled: true,
    created_by: admin.id,
  };
}

/**
 * Writes the demo proposals, activities and lead form (insert-if-missing by fixed id) and moves each touched
 * record's last activity forward; answers a line for the start-up log.
 */
export async function seedDemoWork(
  db: Knex,
  input: Omit<DemoWorkInput, 'catalogue'>,
  secretKey: Buffer,
): Promise<string> {
  const catalogue = catalogueFromRows((await db('equipment_catalogue').where({ active: true })) as Row[]);
  const work = await demoWork({ ...input, catalogue });
  const count = async (table: string) =>
    Number(((await db(table).count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
  const before = { proposals: await count('proposals'), activities: await count('activities') };
  await db('proposals').insert(work.proposals).onConflict().ignore();
  for (let i = 0; i < work.activities.length; i += 200)
    await db('activities')
      .insert(work.activities.slice(i, i + 200))
      .onConflict()
      .ignore();
  await db('lead_forms').insert(demoLeadForm(input.staff, secretKey)).onConflict().ignore();
  // the lists' "last activity" column, as logging through the API would have moved it (never backwards)
  const TABLES: Record<string, string> = { lead: 'leads', account: 'accounts', opportunity: 'opportunities' };
  // a contact's or site's activity is its customer's, a proposal's its deal's
  const parent = new Map<unknown, string>([
    ...input.contacts.map((c) => [c['id'], `account:${String(c['account_id'])}`] as const),
    ...input.sites.map((s) => [s['id'], `account:${String(s['account_id'])}`] as const),
    ...work.proposals.map((p) => [p['id'], `opportunity:${String(p['opportunity_id'])}`] as const),
  ]);
  const latest = new Map<string, Date>();
  for (const a of work.activities) {
    const key = parent.get(a['subject_id']) ?? `${a['subject_type']}:${a['subject_id']}`;
    const at = a['created_at'] as Date;
    if (!latest.has(key) || latest.get(key)! < at) latest.set(key, at);
  }
  for (const [key, at] of latest) {
    const [type, subjectId] = key.split(':') as [string, string];
    await db(TABLES[type]!)
      .where({ id: subjectId })
      .where((q) => q.whereNull('last_activity_at').orWhere('last_activity_at', '<', at))
      .update({ last_activity_at: at });
  }
  const proposals = (await count('proposals')) - before.proposals;
  const activities = (await count('activities')) - before.activities;
  return proposals || activities
    ? `seeded ${proposals} demo proposals, ${activities} activities and the website lead form (key ${demoFormKey(secretKey).slice(0, 11)}…)`
    : 'demo proposals, activities and lead form already present';
}
