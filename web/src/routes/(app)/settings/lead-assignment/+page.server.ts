import { z } from 'zod';
import { ASSIGNMENT_SETTINGS_QUERY } from '$lib/leads/assignment-rules';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

const schema = directoryDataSchema.extend({
  leadSettings: z.object({
    assignmentRules: z.record(z.string(), z.unknown()).nullable(),
    suggestedAssignmentRules: z.record(z.string(), z.unknown()),
    updatedAt: z.string().nullable(),
  }),
});

/** Who new leads go to, with the members and teams a rule can name. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const data = await serverGraphql(event, ASSIGNMENT_SETTINGS_QUERY, {}, schema);
  return {
    rules: data.leadSettings.assignmentRules,
    updatedAt: data.leadSettings.updatedAt,
    directory: { members: data.members, orgUnits: data.orgUnits },
  };
};
