import { z } from 'zod';
import { LEAD_SOURCES } from '../lead-schema.js';

/*
 * A tenant's lead-scoring rule set. Every rule gives points and the sentence a rep reads next to them.
 * Each section defaults as a whole when absent; a section the tenant gives replaces the default (values it
 * leaves out score nothing), so what is stored is exactly what runs.
 */

export const ROOF_TYPES = [
  'asphalt_shingle',
  'metal',
  'tile',
  'flat',
  'slate',
  'wood_shake',
  'other',
] as const;
export const ROOF_ORIENTATIONS = [
  'south',
  'southeast',
  'southwest',
  'east',
  'west',
  'flat',
  'north',
] as const;
export const SHADING_LEVELS = ['none', 'light', 'moderate', 'heavy'] as const;
export const CREDIT_BANDS = ['excellent', 'good', 'fair', 'poor'] as const;
export const OWNERSHIP = ['homeowner', 'renter'] as const;

export type RoofType = (typeof ROOF_TYPES)[number];
export type RoofOrientation = (typeof ROOF_ORIENTATIONS)[number];
export type ShadingLevel = (typeof SHADING_LEVELS)[number];
export type CreditBand = (typeof CREDIT_BANDS)[number];
export type Ownership = (typeof OWNERSHIP)[number];

const points = z.number().int('Whole points only').min(-100).max(100);
const reason = z.string().trim().min(1, 'Required').max(120, 'At most 120 characters');
export const pointsRuleSchema = z.object({ points, reason });
export type PointsRule = z.output<typeof pointsRuleSchema>;

/** [min, max) band; max absent = open-ended. */
const bandSchema = z
  .object({ min: z.number().min(0), max: z.number().positive().optional(), points, reason })
  .refine((b) => b.max === undefined || b.max > b.min, { message: 'max must be above min', path: ['max'] });

const bandsSchema = z
  .array(bandSchema)
  .max(20)
  .refine(
    (bands) => bands.every((b, i) => i === 0 || (bands[i - 1]!.max ?? Infinity) <= b.min),
    'Bands must be in ascending order and not overlap',
  );

/** An engagement signal is worth full points when fresh and halves every halfLifeDays. */
const decayingSignalSchema = z.object({ points, reason, halfLifeDays: z.number().positive().max(3650) });

const sourceDefaults: Record<(typeof LEAD_SOURCES)[number], PointsRule> = {
  referral: { points: 20, reason: 'Referred by a customer or friend' },
  web_form: { points: 12, reason: 'Asked for a quote on our website' },
  partner: { points: 12, reason: 'Sent by a partner' },
  phone: { points: 10, reason: 'Called us' },
  event: { points: 8, reason: 'Met at an event' },
  paid_ads: { points: 6, reason: 'Came from a paid ad' },
  door_to_door: { points: 5, reason: 'Door-to-door contact' },
  other: { points: 0, reason: 'Other source' },
};

export const scoringRulesSchema = z.object({
  source: z.partialRecord(z.enum(LEAD_SOURCES), pointsRuleSchema).default(sourceDefaults),
  monthlyBill: z
    .object({
      bands: bandsSchema,
      unknown: pointsRuleSchema,
    })
    .default({
      bands: [
        { min: 0, max: 100, points: -10, reason: 'Bill under $100 a month: small savings' },
        { min: 100, max: 150, points: 5, reason: 'Bill $100–$150 a month' },
        { min: 150, max: 250, points: 15, reason: 'Bill $150–$250 a month: good savings' },
        { min: 250, max: 400, points: 22, reason: 'Bill $250–$400 a month: strong savings' },
        { min: 400, points: 25, reason: 'Bill over $400 a month: large system' },
      ],
      unknown: { points: 0, reason: 'Monthly bill not known yet' },
    }),
  roofType: z.partialRecord(z.enum(ROOF_TYPES), pointsRuleSchema).default({
    asphalt_shingle: { points: 8, reason: 'Asphalt shingle roof: standard install' },
    metal: { points: 8, reason: 'Metal roof: standard install' },
    tile: { points: 2, reason: 'Tile roof: slower install' },
    flat: { points: 3, reason: 'Flat roof: needs tilt racking' },
    slate: { points: -5, reason: 'Slate roof: difficult install' },
    wood_shake: { points: -10, reason: 'Wood shake roof: often needs replacing first' },
  }),
  roofAge: z.object({ bands: bandsSchema }).default({
    bands: [
      { min: 0, max: 10, points: 5, reason: 'Roof under 10 years old' },
      { min: 10, max: 20, points: 0, reason: 'Roof 10–20 years old' },
      { min: 20, points: -10, reason: 'Roof over 20 years old: may need replacing first' },
    ],
  }),
  roofOrientation: z.partialRecord(z.enum(ROOF_ORIENTATIONS), pointsRuleSchema).default({
    south: { points: 10, reason: 'South-facing roof' },
    southeast: { points: 8, reason: 'South-east-facing roof' },
    southwest: { points: 8, reason: 'South-west-facing roof' },
    east: { points: 4, reason: 'East-facing roof' },
    west: { points: 5, reason: 'West-facing roof' },
    flat: { points: 6, reason: 'Flat roof: panels can face south' },
    north: { points: -10, reason: 'North-facing roof: low production' },
  }),
  shading: z.partialRecord(z.enum(SHADING_LEVELS), pointsRuleSchema).default({
    none: { points: 10, reason: 'No shading' },
    light: { points: 5, reason: 'Light shading' },
    moderate: { points: -5, reason: 'Moderate shading' },
    heavy: { points: -20, reason: 'Heavy shading: low production' },
  }),
  creditBand: z.partialRecord(z.enum(CREDIT_BANDS), pointsRuleSchema).default({
    excellent: { points: 15, reason: 'Excellent credit: qualifies for every financing option' },
    good: { points: 10, reason: 'Good credit' },
    fair: { points: 0, reason: 'Fair credit: limited financing' },
    poor: { points: -15, reason: 'Poor credit: cash or lease only' },
  }),
  ownership: z.partialRecord(z.enum(OWNERSHIP), pointsRuleSchema).default({
    homeowner: { points: 10, reason: 'Owns the home' },
    renter: { points: -30, reason: 'Rents: needs the landlord to agree' },
  }),
  engagement: z
    .object({
      emailOpened: decayingSignalSchema,
      replied: decayingSignalSchema,
      meetingBooked: decayingSignalSchema,
      /** No touch for longer than this many days costs `points` (negative). */
      stale: z.object({ afterDays: z.number().int().positive().max(3650), points, reason }),
    })
    .default({
      emailOpened: { points: 3, reason: 'Opened our email', halfLifeDays: 14 },
      replied: { points: 8, reason: 'Replied to us', halfLifeDays: 21 },
      meetingBooked: { points: 15, reason: 'Booked a meeting', halfLifeDays: 30 },
      stale: { afterDays: 45, points: -10, reason: 'No contact in a long time' },
    }),
  /** Lowest score for each grade; below `C` is D. */
  grades: z
    .object({ A: z.number().int().min(0).max(100), B: z.number().int().min(0), C: z.number().int().min(0) })
    .refine((g) => g.A > g.B && g.B > g.C, 'Grade thresholds must fall from A to C')
    .default({ A: 70, B: 50, C: 30 }),
});

export type ScoringRules = z.output<typeof scoringRulesSchema>;
/** What a tenant stores: any section may be left out. */
export type ScoringRulesInput = z.input<typeof scoringRulesSchema>;

/** The defaults a solar installer would start from. */
export const defaultScoringRules: ScoringRules = scoringRulesSchema.parse({});
