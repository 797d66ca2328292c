/**
 * Settings › Lead scoring: the workspace's scoring rules as an administrator edits them, and back to the
 * API's JSON. Each rule is points and the sentence a rep reads beside them; a value whose reason is left
 * blank scores nothing (the API's own meaning of a value left out). The API validates the whole set again
 * (tenant-runtime/src/modules/leads/scoring/scoring-rules.ts) and its messages land beside the inputs, keyed
 * by the same paths (`monthlyBill.bands.2.max`).
 */
export const LEAD_SETTINGS_QUERY = `
  query LeadSettings { leadSettings { scoringRules scoringRulesAreDefault suggestedScoringRules updatedAt } }
`;

/** Sections that give points for one value of a lead fact. */
export const CHOICE_SECTIONS = [
  { key: 'source', title: 'Source', about: 'Where the lead came from' },
  { key: 'roofType', title: 'Roof type', about: 'What the roof is made of' },
  { key: 'roofOrientation', title: 'Roof orientation', about: 'Which way the best roof face points' },
  { key: 'shading', title: 'Shading', about: 'Trees and buildings over the roof' },
  { key: 'creditBand', title: 'Credit', about: 'The credit band the lead reported' },
  { key: 'ownership', title: 'Ownership', about: 'Owns or rents the home' },
] as const;
/** Sections that give points for a number falling in a band. */
export const BAND_SECTIONS = [
  { key: 'monthlyBill', title: 'Monthly electricity bill ($)', unknown: true },
  { key: 'roofAge', title: 'Roof age (years)', unknown: false },
] as const;
export const ENGAGEMENT = [
  { key: 'emailOpened', label: 'Opened our email' },
  { key: 'replied', label: 'Replied to us' },
  { key: 'meetingBooked', label: 'Booked a meeting' },
] as const;

type Num = number | null | undefined;
export interface RuleRow {
  value: string;
  points: Num;
  reason: string;
}
export interface BandRow {
  min: Num;
  max: Num;
  points: Num;
  reason: string;
}
export interface ScoringForm {
  choices: Record<string, RuleRow[]>;
  bands: Record<string, BandRow[]>;
  unknownBill: { points: Num; reason: string };
  engagement: Record<string, { points: Num; reason: string; halfLifeDays: Num }>;
  stale: { afterDays: Num; points: Num; reason: string };
  grades: { A: Num; B: Num; C: Num };
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' ? (v as Json) : {});
const rule = (v: unknown) => ({ points: obj(v)['points'] as Num, reason: String(obj(v)['reason'] ?? '') });

/** "web_form" → "Web form". */
export const valueLabel = (value: string) =>
  value.charAt(0).toUpperCase() + value.slice(1).replaceAll('_', ' ');

/**
 * The form for `rules`, listing every value a section can score: those the built-in rules name (`suggested`)
 * and any the workspace added, so a value the workspace dropped shows with a blank reason.
 */
export function scoringForm(rules: Json, suggested: Json): ScoringForm {
  const choices: Record<string, RuleRow[]> = {};
  for (const { key } of CHOICE_SECTIONS) {
    const current = obj(rules[key]);
    const values = [...new Set([...Object.keys(obj(suggested[key])), ...Object.keys(current)])];
    choices[key] = values.map((value) =>
      value in current ? { value, ...rule(current[value]) } : { value, points: 0, reason: '' },
    );
  }
  const bands: Record<string, BandRow[]> = {};
  for (const { key } of BAND_SECTIONS) {
    const list = obj(rules[key])['bands'];
    bands[key] = (Array.isArray(list) ? list : []).map((b: unknown) => ({
      min: obj(b)['min'] as Num,
      max: (obj(b)['max'] as Num) ?? null,
      ...rule(b),
    }));
  }
  const engagement = obj(rules['engagement']);
  const stale = obj(engagement['stale']);
  const grades = obj(rules['grades']);
  return {
    choices,
    bands,
    unknownBill: rule(obj(rules['monthlyBill'])['unknown']),
    engagement: Object.fromEntries(
      ENGAGEMENT.map(({ key }) => [
        key,
        { ...rule(engagement[key]), halfLifeDays: obj(engagement[key])['halfLifeDays'] as Num },
      ]),
    ),
    stale: { afterDays: stale['afterDays'] as Num, ...rule(stale) },
    grades: { A: grades['A'] as Num, B: grades['B'] as Num, C: grades['C'] as Num },
  };
}

/** A number input's value as the API wants it: a number, or null when empty (the API says it is required). */
const num = (v: Num): number | null => (v === null || v === undefined || Number.isNaN(v) ? null : Number(v));

/** The API's rules JSON for the form. */
export function scoringRulesOf(form: ScoringForm): Json {
  const rules: Json = {};
  for (const { key } of CHOICE_SECTIONS)
    rules[key] = Object.fromEntries(
      form.choices[key]!.filter((r) => r.reason.trim() !== '').map((r) => [
        r.value,
        { points: num(r.points), reason: r.reason.trim() },
      ]),
    );
  const bandsOf = (key: string) =>
    form.bands[key]!.map((b) => ({
      min: num(b.min),
      ...(num(b.max) === null ? {} : { max: num(b.max) }),
      points: num(b.points),
      reason: b.reason.trim(),
    }));
  rules['monthlyBill'] = {
    bands: bandsOf('monthlyBill'),
    unknown: { points: num(form.unknownBill.points), reason: form.unknownBill.reason.trim() },
  };
  rules['roofAge'] = { bands: bandsOf('roofAge') };
  rules['engagement'] = {
    ...Object.fromEntries(
      ENGAGEMENT.map(({ key }) => {
        const e = form.engagement[key]!;
        return [key, { points: num(e.points), reason: e.reason.trim(), halfLifeDays: num(e.halfLifeDays) }];
      }),
    ),
    stale: {
      afterDays: num(form.stale.afterDays),
      points: num(form.stale.points),
      reason: form.stale.reason.trim(),
    },
  };
  rules['grades'] = { A: num(form.grades.A), B: num(form.grades.B), C: num(form.grades.C) };
  return rules;
}
