import { z } from 'zod';

/*
 * A tenant's lead-assignment configuration. A pool is the set of reps a lead can go to: the members of one
 * org unit, or everyone assignable when unitId is absent. Territories are tried in order; the first whose
 * match fits the lead and that has an eligible rep wins, otherwise the fallback runs.
 */

const id = z.string().trim().min(1).max(64);
const pickSchema = z.enum(['round_robin', 'load'], 'Must be round_robin or load');

export const poolSchema = z.object({
  unitId: id.optional(),
  /** how to choose within the pool */
  pick: pickSchema.default('round_robin'),
});
export type Pool = z.output<typeof poolSchema>;

const postcode = z
  .string()
  .trim()
  .min(1)
  .max(12)
  .transform((v) => v.toUpperCase().replace(/\s+/g, ''));

export const territoryMatchSchema = z.discriminatedUnion('kind', [
  /** the lead already belongs to one of these units (e.g. captured by that branch's web form) */
  z.object({ kind: z.literal('org_unit'), unitIds: z.array(id).min(1).max(200) }),
  z
    .object({
      kind: z.literal('postcode'),
      prefixes: z.array(postcode).max(500).default([]),
      /** inclusive numeric ranges over the leading digits, e.g. 85001–85099 */
      ranges: z
        .array(
          z
            .object({ from: z.string().regex(/^\d{1,10}$/), to: z.string().regex(/^\d{1,10}$/) })
            .refine((r) => r.from.length === r.to.length && Number(r.from) <= Number(r.to), {
              message: 'from and to must have the same number of digits, from ≤ to',
              path: ['to'],
            }),
        )
        .max(500)
        .default([]),
    })
    .refine((m) => m.prefixes.length + m.ranges.length > 0, 'Give at least one prefix or range'),
  z.object({
    kind: z.literal('radius'),
    center: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
    radiusKm: z.number().positive().max(20_000),
  }),
]);
export type TerritoryMatch = z.output<typeof territoryMatchSchema>;

export const territorySchema = z.object({
  name: z.string().trim().min(1).max(100),
  match: territoryMatchSchema,
  /** who gets the territory's leads: a pool, or one named rep */
  assignTo: z.union([z.object({ memberId: id }), poolSchema]),
});
export type Territory = z.output<typeof territorySchema>;

export const assignmentRulesSchema = z.discriminatedUnion('strategy', [
  z.object({ strategy: z.literal('round_robin'), pool: poolSchema.omit({ pick: true }).prefault({}) }),
  z.object({ strategy: z.literal('load'), pool: poolSchema.omit({ pick: true }).prefault({}) }),
  z.object({
    strategy: z.literal('territory'),
    territories: z.array(territorySchema).min(1).max(500),
    /** when no territory matches (or none has a free rep); absent = leave unassigned */
    fallback: poolSchema.optional(),
  }),
]);
export type AssignmentRules = z.output<typeof assignmentRulesSchema>;

/** The default for a new tenant: round-robin across everyone assignable. */
export const defaultAssignmentRules: AssignmentRules = assignmentRulesSchema.parse({
  strategy: 'round_robin',
});
