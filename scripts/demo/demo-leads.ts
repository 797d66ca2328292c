import { v7 as uuidv7 } from 'uuid';
import { pick, seededRandom, weighted } from './random.js';

/** Sun-belt towns where residential solar sells, with their postcode prefix and area code. */
const PLACES = [
  ['Phoenix', 'AZ', '850', '602'],
  ['Tucson', 'AZ', '857', '520'],
  ['Mesa', 'AZ', '852', '480'],
  ['Sacramento', 'CA', '958', '916'],
  ['Fresno', 'CA', '937', '559'],
  ['San Diego', 'CA', '921', '619'],
  ['Riverside', 'CA', '925', '951'],
  ['Austin', 'TX', '787', '512'],
  ['San Antonio', 'TX', '782', '210'],
  ['Houston', 'TX', '770', '713'],
  ['Las Vegas', 'NV', '891', '702'],
  ['Henderson', 'NV', '890', '702'],
  ['Orlando', 'FL', '328', '407'],
  ['Tampa', 'FL', '336', '813'],
  ['Albuquerque', 'NM', '871', '505'],
  ['Denver', 'CO', '802', '303'],
] as const;
const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Sophia',
  'Mateo',
  'Isabella',
  'Ethan',
  'Mia',
  'Lucas',
  'Amelia',
  'Mason',
  'Harper',
  'Elijah',
  'Evelyn',
  'Logan',
  'Camila',
  'James',
  'Aria',
  'Benjamin',
  'Priya',
  'Wei',
  'Fatima',
  'Diego',
  'Hannah',
  'Omar',
  'Grace',
  'Kenji',
  'Lucia',
  'Samuel',
  'Nora',
  'Andre',
  'Chloe',
  'Rafael',
  'Zoe',
  'Daniel',
];
const LAST = [
  'Garcia',
  'Smith',
  'Johnson',
  'Martinez',
  'Brown',
  'Nguyen',
  'Davis',
  'Lopez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Hernandez',
  'Moore',
  'Jackson',
  'Patel',
  'Kim',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'Chen',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Ramirez',
  'Torres',
  'Flores',
  'Reyes',
  'Okafor',
  'Schmidt',
  'Silva',
  'Nakamura',
];
const STREETS = [
  'Mesquite Dr',
  'Saguaro Ln',
  'Canyon View Rd',
  'Palm Ave',
  'Sunset Blvd',
  'Juniper St',
  'Oak Hollow Ct',
  'Desert Willow Way',
  'Harbor Pl',
  'Ridgecrest Dr',
  'Cottonwood Ave',
  'Bluebonnet Trl',
  'Coral Reef Cir',
  'Aspen Ct',
  'Sierra Vista Rd',
];
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'hotmail.com'];
const COMPANIES = [
  'Desert Sun Dental',
  'Lone Star Storage',
  'Gulf Coast Marine',
  'Mesa Vineyards',
  'Red Rock Brewing',
  'Bayview Apartments',
  'Valley Cold Storage',
  'Sunrise Auto Body',
];
const NOTES = [
  'Asked about battery backup after last summer outage.',
  "South-facing roof, some shade from a neighbour's oak in the afternoon.",
  'Roof is 18 years old; may need re-roof before install.',
  'Wants to cover an EV charger in the next year.',
  'Heard about us from a neighbour on the same street.',
  'Comparing three quotes; price sensitive.',
  'HOA approval needed before install.',
  'Interested in a loan, not a lease.',
];

export type DemoLeadSource =
  'web_form' | 'referral' | 'door_to_door' | 'event' | 'partner' | 'paid_ads' | 'phone' | 'other';
export type DemoLeadStatus = 'new' | 'contacted' | 'qualified' | 'unqualified' | 'converted';

export interface DemoLead {
  id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  company: string | null;
  street: string;
  city: string;
  region: string;
  postal_code: string;
  country: string;
  source: DemoLeadSource;
  status: DemoLeadStatus;
  monthly_bill: number;
  notes: string | null;
  owner_id: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

/**
 * `count` realistic residential and small-commercial solar leads spread over the last 120 days.
 * Deterministic: the same seed gives the same ids and values, so inserting them twice changes nothing.
 */
export function demoLeads(
  count: number,
  owners: readonly string[],
  now = Date.UTC(2026, 10, 20),
  seed = 20261124,
): DemoLead[] {
  const rand = seededRandom(seed);
  const leads: DemoLead[] = [];
  for (let i = 0; i < count; i++) {
    const [city, region, zip3, area] = pick(rand, PLACES);
    const first = pick(rand, FIRST);
    const last = pick(rand, LAST);
    const commercial = rand() < 0.08;
    const createdMs = now - Math.floor(rand() * 120 * 24 * 3600 * 1000);
    const random = Uint8Array.from({ length: 16 }, () => Math.floor(rand() * 256));
    const status = weighted<DemoLeadStatus>(rand, [
      ['new', 30],
      ['contacted', 28],
      ['qualified', 20],
      ['unqualified', 10],
      ['converted', 12],
    ]);
    const created = new Date(createdMs);
    leads.push({
      id: uuidv7({ msecs: createdMs, random }),
      first_name: first,
      last_name: last,
      email:
        rand() < 0.92
          ? `${first}.${last}${Math.floor(rand() * 90) + 10}@${pick(rand, DOMAINS)}`.toLowerCase()
          : null,
      phone: rand() < 0.85 ? `+1${area}${String(2000000 + Math.floor(rand() * 7999999))}` : null,
      company: commercial ? pick(rand, COMPANIES) : null,
      street: `${100 + Math.floor(rand() * 9800)} ${pick(rand, STREETS)}`,
      city,
      region,
      postal_code: `${zip3}${String(Math.floor(rand() * 100)).padStart(2, '0')}`,
      country: 'US',
      source: weighted<DemoLeadSource>(rand, [
        ['web_form', 34],
        ['referral', 18],
        ['door_to_door', 14],
        ['paid_ads', 14],
        ['event', 8],
        ['partner', 6],
        ['phone', 5],
        ['other', 1],
      ]),
      status,
      monthly_bill: Math.round((commercial ? 600 + rand() * 3400 : 90 + rand() * 360) * 100) / 100,
      notes: rand() < 0.4 ? pick(rand, NOTES) : null,
      owner_id: owners.length && status !== 'new' ? pick(rand, owners) : (owners[0] ?? null),
      created_by: owners[0] ?? null,
      created_at: created,
      updated_at: created,
    });
  }
  return leads;
}
