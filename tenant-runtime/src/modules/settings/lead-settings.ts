import { Forbidden, ValidationFailed, zodFieldErrors } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { DataAccess } from '../../engine/data/data-access.js';
import {
  assignmentRulesSchema,
  defaultAssignmentRules,
  type AssignmentRules,
} from '../leads/assignment/assignment-rules.js';
import {
  defaultScoringRules,
  scoringRulesSchema,
  type ScoringRules,
} from '../leads/scoring/scoring-rules.js';
import { recordChange } from './audit-trail.js';
import { settingsRepository } from './settings-repository.js';

export const SCORING_KEY = 'leads.scoring';
export const ASSIGNMENT_KEY = 'leads.assignment';

/**
 * How a tenant scores and assigns new leads. Scoring always runs (the defaults until the tenant sets its
 * own rules). Assignment is off until rules are set: the creator keeps the lead, as before the feature.
 */
export interface LeadSettings {
  scoringRules: ScoringRules;
  scoringIsDefault: boolean;
  /** null: no automatic assignment; a lead without an owner goes to its creator */
  assignmentRules: AssignmentRules | null;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/**
 * Reads the settings as stored. A stored value that no longer validates (rules changed shape) falls back
 * to the default for scoring and to "off" for assignment rather than failing every lead write; the
 * settings screen shows the defaults, and saving rewrites it.
 */
export async function loadLeadSettings(data: DataAccess): Promise<LeadSettings> {
  const stored = await settingsRepository(data).read([SCORING_KEY, ASSIGNMENT_KEY]);
  const scoring = stored.get(SCORING_KEY);
  const assignment = stored.get(ASSIGNMENT_KEY);
  const parsedScoring = scoring ? scoringRulesSchema.safeParse(scoring.value) : null;
  const parsedAssignment = assignment ? assignmentRulesSchema.safeParse(assignment.value) : null;
  const latest = [scoring, assignment]
    .filter((s) => s !== undefined)
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
  return {
    scoringRules: parsedScoring?.success ? parsedScoring.data : defaultScoringRules,
    scoringIsDefault: !parsedScoring?.success,
    assignmentRules: parsedAssignment?.success ? parsedAssignment.data : null,
    updatedAt: latest?.updatedAt ?? null,
    updatedBy: latest?.updatedBy ?? null,
  };
}

/** Settings are workspace configuration: administrators (access:manage:all) read and change them. */
function requireManage(rc: RequestContext): void {
  if (!rc.actor.scope('access', 'manage').all)
    throw new Forbidden('Only administrators may view or change lead settings');
}

export async function getLeadSettings(rc: RequestContext): Promise<LeadSettings> {
  requireManage(rc);
  return loadLeadSettings(rc.data);
}

/** The defaults, for a settings screen to start from. */
export const suggestedLeadSettings = {
  scoringRules: defaultScoringRules,
  assignmentRules: defaultAssignmentRules,
};

const updateInputSchema = z
  .object({
    /** null resets to the defaults */
    scoringRules: z.unknown().optional(),
    /** null switches automatic assignment off */
    assignmentRules: z.unknown().optional(),
  })
  .refine((v) => v.scoringRules !== undefined || v.assignmentRules !== undefined, {
    message: 'Give scoringRules, assignmentRules or both',
  });

/**
 * Replaces the scoring and/or assignment rules. Each is validated whole by the rule modules' schemas
 * (field-level messages under input.scoringRules / input.assignmentRules); what is stored is the parsed
 * rule set, defaults filled in, so it is exactly what runs. One transaction, one audit entry per key with
 * the old and new value.
 */
export async function updateLeadSettings(rc: RequestContext, rawInput: unknown): Promise<LeadSettings> {
  requireManage(rc);
  const parsed = updateInputSchema.safeParse(rawInput ?? {});
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  const input = parsed.data;
  const errors: Record<string, string[]> = {};
  let scoring: ScoringRules | null | undefined;
  let assignment: AssignmentRules | null | undefined;
  if (input.scoringRules !== undefined && input.scoringRules !== null) {
    const r = scoringRulesSchema.safeParse(input.scoringRules);
    if (r.success) scoring = r.data;
    else Object.assign(errors, zodFieldErrors(r.error, ['input', 'scoringRules']));
  } else if (input.scoringRules === null) scoring = null;
  if (input.assignmentRules !== undefined && input.assignmentRules !== null) {
    const r = assignmentRulesSchema.safeParse(input.assignmentRules);
    if (r.success) assignment = r.data;
    else Object.assign(errors, zodFieldErrors(r.error, ['input', 'assignmentRules']));
  } else if (input.assignmentRules === null) assignment = null;
  if (Object.keys(errors).length) throw new ValidationFailed(errors);

  await rc.data.transaction(async (data) => {
    const repo = settingsRepository(data);
    const before = await repo.read([SCORING_KEY, ASSIGNMENT_KEY], { forUpdate: true });
    const who = { memberId: rc.actor.memberId, requestId: rc.requestId };
    for (const [key, value] of [
      [SCORING_KEY, scoring],
      [ASSIGNMENT_KEY, assignment],
    ] as const) {
      if (value === undefined) continue;
      if (value === null) await repo.remove(key);
      else await repo.write(key, value, rc.actor.memberId);
      await recordChange(data, who, {
        action: value === null ? 'settings.reset' : 'settings.updated',
        entityType: 'settings',
        entityId: key,
        before: before.get(key)?.value ?? null,
        after: value,
      });
    }
  });
  rc.log.info(
    { scoring: scoring !== undefined, assignment: assignment !== undefined },
    'lead settings updated',
  );
  return loadLeadSettings(rc.data);
}
