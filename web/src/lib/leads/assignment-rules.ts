import type { FieldMessages } from '$lib/graphql/field-errors';

/**
 * Settings › Lead assignment: who new leads go to, as an administrator sets it, and back to the API's JSON
 * (tenant-runtime/src/modules/leads/assignment/assignment-rules.ts). Off, round-robin or by load across a
 * team (or everyone), or by territory: org units, postcodes (prefixes and numeric ranges) or a radius, each
 * to a named rep or a team, with a fallback. The API validates again; its messages are keyed by the same
 * paths (`territories.0.match.radiusKm`).
 */
export const ASSIGNMENT_SETTINGS_QUERY = `
  query AssignmentSettings {
    leadSettings { assignmentRules suggestedAssignmentRules updatedAt }
    members { id displayName status }
    orgUnits { id kind name parentId depth }
  }
`;

export type Strategy = 'off' | 'round_robin' | 'load' | 'territory';
export type Pick = 'round_robin' | 'load';
type Num = number | null | undefined;

export interface TerritoryForm {
  name: string;
  kind: 'org_unit' | 'postcode' | 'radius';
  unitIds: string[];
  /** comma-separated postcode prefixes, e.g. "850, 852" */
  prefixes: string;
  /** comma-separated inclusive ranges, e.g. "85001-85099" */
  ranges: string;
  lat: Num;
  lon: Num;
  radiusKm: Num;
  to: 'member' | 'pool';
  memberId: string;
  /** '' = everyone assignable */
  poolUnitId: string;
  pick: Pick;
}

export interface AssignmentForm {
  strategy: Strategy;
  /** round-robin and load: the team; '' = everyone assignable */
  poolUnitId: string;
  territories: TerritoryForm[];
  fallback: 'none' | 'pool';
  fallbackUnitId: string;
  fallbackPick: Pick;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const str = (v: unknown) => (typeof v === 'string' ? v : '');
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const pick = (v: unknown): Pick => (v === 'load' ? 'load' : 'round_robin');

export function newTerritory(): TerritoryForm {
  return {
    name: '',
    kind: 'postcode',
    unitIds: [],
    prefixes: '',
    ranges: '',
    lat: null,
    lon: null,
    radiusKm: null,
    to: 'pool',
    memberId: '',
    poolUnitId: '',
    pick: 'round_robin',
  };
}

/** The form for the stored rules (null: automatic assignment is off). */
export function assignmentForm(rules: Json | null): AssignmentForm {
  const form: AssignmentForm = {
    strategy: 'off',
    poolUnitId: '',
    territories: [],
    fallback: 'none',
    fallbackUnitId: '',
    fallbackPick: 'round_robin',
  };
  if (!rules) return form;
  const strategy = str(rules['strategy']);
  if (strategy === 'round_robin' || strategy === 'load') {
    form.strategy = strategy;
    form.poolUnitId = str(obj(rules['pool'])['unitId']);
    return form;
  }
  if (strategy !== 'territory') return form;
  form.strategy = 'territory';
  form.territories = list(rules['territories']).map((t) => {
    const match = obj(obj(t)['match']);
    const assignTo = obj(obj(t)['assignTo']);
    const center = obj(match['center']);
    return {
      ...newTerritory(),
      name: str(obj(t)['name']),
      kind: match['kind'] === 'org_unit' ? 'org_unit' : match['kind'] === 'radius' ? 'radius' : 'postcode',
      unitIds: list(match['unitIds']).map(String),
      prefixes: list(match['prefixes']).map(String).join(', '),
      ranges: list(match['ranges'])
        .map((r) => `${str(obj(r)['from'])}-${str(obj(r)['to'])}`)
        .join(', '),
      lat: center['lat'] as Num,
      lon: center['lon'] as Num,
      radiusKm: match['radiusKm'] as Num,
      to: 'memberId' in assignTo ? 'member' : 'pool',
      memberId: str(assignTo['memberId']),
      poolUnitId: str(assignTo['unitId']),
      pick: pick(assignTo['pick']),
    };
  });
  const fallback = rules['fallback'];
  if (fallback) {
    form.fallback = 'pool';
    form.fallbackUnitId = str(obj(fallback)['unitId']);
    form.fallbackPick = pick(obj(fallback)['pick']);
  }
  return form;
}

const items = (text: string) =>
  text
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
const num = (v: Num): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : Number(v));
const pool = (unitId: string, p?: Pick) => ({ ...(unitId ? { unitId } : {}), ...(p ? { pick: p } : {}) });

/** The API's rules for the form (null switches automatic assignment off), or messages for what cannot be read. */
export function assignmentRulesOf(form: AssignmentForm): { rules: Json | null } | { errors: FieldMessages } {
  if (form.strategy === 'off') return { rules: null };
  if (form.strategy !== 'territory')
    return { rules: { strategy: form.strategy, pool: pool(form.poolUnitId) } };
  const errors: FieldMessages = {};
  const territories = form.territories.map((t, i) => {
    let match: Json;
    if (t.kind === 'org_unit') match = { kind: 'org_unit', unitIds: t.unitIds };
    else if (t.kind === 'radius')
      match = { kind: 'radius', center: { lat: num(t.lat), lon: num(t.lon) }, radiusKm: num(t.radiusKm) };
    else {
      const ranges = items(t.ranges).map((r) => /^(\d{1,10})\s*[-–]\s*(\d{1,10})$/.exec(r));
      if (ranges.some((r) => !r))
        errors[`territories.${i}.match.ranges`] = 'Write ranges as from-to, like 85001-85099';
      match = {
        kind: 'postcode',
        prefixes: items(t.prefixes),
        ranges: ranges.filter((r) => r !== null).map((r) => ({ from: r[1], to: r[2] })),
      };
    }
    return {
      name: t.name.trim(),
      match,
      assignTo: t.to === 'member' ? { memberId: t.memberId } : pool(t.poolUnitId, t.pick),
    };
  });
  if (Object.keys(errors).length) return { errors };
  return {
    rules: {
      strategy: 'territory',
      territories,
      ...(form.fallback === 'pool' ? { fallback: pool(form.fallbackUnitId, form.fallbackPick) } : {}),
    },
  };
}
