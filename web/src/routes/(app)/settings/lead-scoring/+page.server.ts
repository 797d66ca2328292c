import { z } from 'zod';
import { LEAD_SETTINGS_QUERY } from '$lib/leads/scoring-rules';
import { serverGraphql } from '$lib/server/graphql';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

const leadSettingsSchema = z.object({
  leadSettings: z.object({
    scoringRules: z.record(z.string(), z.unknown()),
    scoringRulesAreDefault: z.boolean(),
    suggestedScoringRules: z.record(z.string(), z.unknown()),
    updatedAt: z.string().nullable(),
  }),
});

/** The workspace's lead-scoring rules, and the built-in ones they started from. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const { leadSettings } = await serverGraphql(event, LEAD_SETTINGS_QUERY, {}, leadSettingsSchema);
  return { settings: leadSettings };
};
