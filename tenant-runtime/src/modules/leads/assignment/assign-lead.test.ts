import { ValidationFailed } from '@solar/common';
import { describe, expect, it } from 'vitest';
import {
  assignLead,
  parseAssignmentRules,
  type AssignmentContext,
  type RoundRobinCursors,
} from './assign-lead.js';
import type { AssignmentCandidate, OrgUnitRef } from './candidates.js';
import { haversineKm } from './haversine.js';

const PHX = 'unit-phx';
const TUC = 'unit-tuc';
const units: OrgUnitRef[] = [
  { id: PHX, name: 'Phoenix Sales' },
  { id: TUC, name: 'Tucson Sales' },
];
const rep = (
  id: string,
  name: string,
  unitIds: string[],
  over: Partial<AssignmentCandidate> = {},
): AssignmentCandidate => ({
  id,
  name,
  unitIds,
  active: true,
  available: true,
  openLeads: 0,
  ...over,
});
const team = () => [
  rep('m1', 'Priya Patel', [PHX]),
  rep('m2', 'Sam Lee', [PHX]),
  rep('m3', 'Ana Ruiz', [PHX]),
  rep('m4', 'Tom Hale', [TUC]),
];
const context = (
  rules: unknown,
  candidates = team(),
  cursors: RoundRobinCursors = {},
): AssignmentContext => ({
  rules: parseAssignmentRules(rules),
  candidates,
  units,
  cursors,
});

/** Assigns n leads in a row the way the service will: persisting the cursor and counting the new lead. */
function assignMany(n: number, ctx: AssignmentContext, lead = {}) {
  const counts: Record<string, number> = {};
  let cursors = { ...ctx.cursors };
  const candidates = ctx.candidates.map((c) => ({ ...c }));
  for (let i = 0; i < n; i++) {
    const a = assignLead(lead, { ...ctx, candidates, cursors });
    if (!a.ownerId) throw new Error(a.reason);
    counts[a.ownerId] = (counts[a.ownerId] ?? 0) + 1;
    candidates.find((c) => c.id === a.ownerId)!.openLeads++;
    if (a.cursor) cursors = { ...cursors, [a.cursor.pool]: a.cursor.memberId };
  }
  return counts;
}

describe('assignLead — round-robin', () => {
  it('says who got the lead and why, and hands back the cursor to persist', () => {
    const ctx = context({ strategy: 'round_robin', pool: { unitId: PHX } }, team(), { [PHX]: 'm1' });
    expect(assignLead({}, ctx)).toEqual({
      ownerId: 'm2',
      unitId: PHX,
      strategy: 'round_robin',
      reason: 'Round-robin in Phoenix Sales: next after Priya Patel',
      cursor: { pool: PHX, memberId: 'm2' },
    });
    expect(assignLead({}, context({ strategy: 'round_robin', pool: { unitId: PHX } })).reason).toBe(
      'Round-robin in Phoenix Sales: Priya Patel starts the rotation',
    );
  });

  it('is fair: 300 leads over three reps give each exactly 100, whatever the starting cursor', () => {
    const rules = { strategy: 'round_robin', pool: { unitId: PHX } };
    expect(assignMany(300, context(rules))).toEqual({ m1: 100, m2: 100, m3: 100 });
    expect(assignMany(300, context(rules, team(), { [PHX]: 'm2' }))).toEqual({ m1: 100, m2: 100, m3: 100 });
  });

  it('skips disabled and unavailable reps, says so, and stays fair among the rest', () => {
    const candidates = [
      rep('m1', 'Priya Patel', [PHX]),
      rep('m2', 'Sam Lee', [PHX], { available: false }),
      rep('m3', 'Ana Ruiz', [PHX], { active: false }),
      rep('m5', 'Joe Kim', [PHX], { maxOpenLeads: 2, openLeads: 2 }),
      rep('m6', 'Li Wu', [PHX]),
    ];
    const ctx = context({ strategy: 'round_robin', pool: { unitId: PHX } }, candidates, { [PHX]: 'm1' });
    expect(assignLead({}, ctx).reason).toBe(
      'Round-robin in Phoenix Sales: next after Priya Patel; skipped Sam Lee (unavailable), Ana Ruiz (disabled), Joe Kim (at capacity (2 open))',
    );
    expect(assignMany(100, ctx)).toEqual({ m1: 50, m6: 50 });
  });

  it('resumes the rotation when the last rep has left the team', () => {
    const ctx = context({ strategy: 'round_robin', pool: { unitId: PHX } }, team(), { [PHX]: 'm15' });
    expect(assignLead({}, ctx)).toMatchObject({
      ownerId: 'm2',
      reason: 'Round-robin in Phoenix Sales: next after a former member',
    });
  });

  it('rotates across all reps when no unit is given', () => {
    expect(assignMany(40, context({ strategy: 'round_robin' }))).toEqual({ m1: 10, m2: 10, m3: 10, m4: 10 });
    expect(assignLead({}, context({ strategy: 'round_robin' }, team(), { '*': 'm4' })).reason).toBe(
      'Round-robin across all reps: next after Tom Hale',
    );
  });

  it('leaves the lead unassigned, with the reason, when nobody can take it', () => {
    const away = team().map((c) => ({ ...c, available: false }));
    const result = assignLead({}, context({ strategy: 'round_robin', pool: { unitId: PHX } }, away));
    expect(result).toEqual({
      ownerId: null,
      unitId: PHX,
      strategy: 'round_robin',
      reason: 'No available rep in Phoenix Sales; left unassigned',
    });
    expect(assignLead({}, context({ strategy: 'load', pool: { unitId: 'unit-empty' } })).reason).toBe(
      'No reps in unit unit-empty; left unassigned',
    );
  });
});

describe('assignLead — by load', () => {
  it('gives the lead to the rep with the fewest open leads', () => {
    const candidates = [
      rep('m1', 'Priya Patel', [PHX], { openLeads: 7 }),
      rep('m2', 'Sam Lee', [PHX], { openLeads: 3 }),
      rep('m3', 'Ana Ruiz', [PHX], { openLeads: 5 }),
    ];
    expect(assignLead({}, context({ strategy: 'load', pool: { unitId: PHX } }, candidates))).toEqual({
      ownerId: 'm2',
      unitId: PHX,
      strategy: 'load',
      reason: 'Fewest open leads in Phoenix Sales: Sam Lee has 3 open leads (next: Ana Ruiz with 5)',
    });
  });

  it('breaks ties the same way every time and evens out the load', () => {
    const candidates = [
      rep('m3', 'Ana Ruiz', [PHX], { openLeads: 4 }),
      rep('m1', 'Priya Patel', [PHX], { openLeads: 4 }),
      rep('m2', 'Sam Lee', [PHX], { openLeads: 1 }),
    ];
    const ctx = context({ strategy: 'load', pool: { unitId: PHX } }, candidates);
    const tied = context({ strategy: 'load', pool: { unitId: PHX } }, candidates.slice(0, 2));
    expect(assignLead({}, tied)).toMatchObject({
      ownerId: 'm1',
      reason:
        'Fewest open leads in Phoenix Sales: Priya Patel has 4 open leads, tied with 1 other (first in member order)',
    });
    // 3 + 0 + 3 to catch Sam up, then even: 4+4+1+9 = 18 = 6 each
    expect(assignMany(9, ctx)).toEqual({ m1: 2, m2: 5, m3: 2 });
  });
});

describe('assignLead — territories', () => {
  const phoenix = { lat: 33.4484, lon: -112.074 };
  const territories = [
    {
      name: 'Downtown Phoenix',
      match: { kind: 'postcode', prefixes: ['85004'] },
      assignTo: { memberId: 'm3' },
    },
    {
      name: 'Phoenix metro',
      match: { kind: 'radius', center: phoenix, radiusKm: 60 },
      assignTo: { unitId: PHX },
    },
    {
      name: 'Tucson',
      match: { kind: 'postcode', ranges: [{ from: '857', to: '857' }] },
      assignTo: { unitId: TUC, pick: 'load' },
    },
    {
      name: 'Tucson branch web form',
      match: { kind: 'org_unit', unitIds: [TUC] },
      assignTo: { unitId: TUC },
    },
  ];
  const rules = { strategy: 'territory', territories, fallback: { pick: 'load' } };

  it('takes the first matching territory: a downtown postcode beats the metro radius that also contains it', () => {
    const lead = { postalCode: '85004-1234', latitude: 33.45, longitude: -112.07 };
    expect(assignLead(lead, context(rules))).toEqual({
      ownerId: 'm3',
      strategy: 'territory',
      reason:
        "Territory Downtown Phoenix (postcode 85004-1234 starts with 85004) → Ana Ruiz, the territory's rep",
    });
    const radiusFirst = { ...rules, territories: [territories[1], territories[0]] };
    expect(assignLead(lead, context(radiusFirst, team(), { [PHX]: 'm1' }))).toMatchObject({
      ownerId: 'm2',
      unitId: PHX,
      reason:
        'Territory Phoenix metro (0.4 km from the centre, within 60 km) → Round-robin in Phoenix Sales: next after Priya Patel',
    });
  });

  it('matches postcode ranges and org units', () => {
    expect(assignLead({ postalCode: '85719' }, context(rules))).toMatchObject({
      ownerId: 'm4',
      unitId: TUC,
      reason:
        'Territory Tucson (postcode 85719 is in 857–857) → Fewest open leads in Tucson Sales: Tom Hale has 0 open leads',
    });
    expect(assignLead({ unitId: TUC }, context(rules)).reason).toBe(
      'Territory Tucson branch web form (lead belongs to Tucson Sales) → Round-robin in Tucson Sales: Tom Hale starts the rotation',
    );
  });

  it('counts a lead exactly on the radius as inside and one just beyond as outside', () => {
    const north = { lat: phoenix.lat + 1, lon: phoenix.lon }; // one degree of latitude ≈ 111.195 km
    const km = haversineKm(phoenix, north);
    expect(km).toBeCloseTo(111.195, 3);
    const radius = (radiusKm: number) =>
      context({
        strategy: 'territory',
        territories: [
          {
            name: 'Ring',
            match: { kind: 'radius', center: phoenix, radiusKm },
            assignTo: { memberId: 'm1' },
          },
        ],
      });
    const lead = { latitude: north.lat, longitude: north.lon };
    expect(assignLead(lead, radius(km)).ownerId).toBe('m1');
    expect(assignLead(lead, radius(km + 0.001)).ownerId).toBe('m1');
    expect(assignLead(lead, radius(km - 0.001))).toEqual({
      ownerId: null,
      strategy: 'territory',
      reason: 'No territory matched (at 34.4484, -112.0740); left unassigned',
    });
  });

  it('falls back when nothing matches, and passes over a territory whose reps are all away', () => {
    const busy = team().map((c) => ({ ...c, openLeads: c.id === 'm2' ? 0 : 9 }));
    expect(assignLead({ postalCode: '10001' }, context(rules, busy)).reason).toBe(
      'No territory matched (postcode 10001) → fallback: Fewest open leads across all reps: Sam Lee has 0 open leads (next: Priya Patel with 9)',
    );
    const tomAway = busy.map((c) => (c.id === 'm4' ? { ...c, available: false } : c));
    expect(assignLead({ postalCode: '85719' }, context(rules, tomAway))).toMatchObject({
      ownerId: 'm2',
      reason:
        'Territory Tucson matched but no rep there is available → fallback: Fewest open leads across all reps: Sam Lee has 0 open leads (next: Priya Patel with 9)',
    });
    const annaOff = team().map((c) => (c.id === 'm3' ? { ...c, active: false } : c));
    expect(
      assignLead({ postalCode: '85004' }, context({ ...rules, territories: [territories[0]] }, annaOff))
        .reason,
    ).toBe(
      'Territory Downtown Phoenix matched but no rep there is available → fallback: Fewest open leads across all reps: Priya Patel has 0 open leads, tied with 2 others (first in member order)',
    );
  });

  it('rejects invalid territory rules with field paths', () => {
    try {
      parseAssignmentRules({
        strategy: 'territory',
        territories: [
          { name: 'Bad', match: { kind: 'radius', center: { lat: 95, lon: 0 }, radiusKm: -1 }, assignTo: {} },
          { name: 'Empty', match: { kind: 'postcode' }, assignTo: { unitId: PHX } },
        ],
      });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationFailed);
      const fields = (err as ValidationFailed).fields;
      expect(Object.keys(fields)).toEqual(
        expect.arrayContaining([
          'assignmentRules.territories.0.match.center.lat',
          'assignmentRules.territories.0.match.radiusKm',
          'assignmentRules.territories.1.match',
        ]),
      );
    }
  });
});
