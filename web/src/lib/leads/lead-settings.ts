import type { Client } from '@urql/svelte';
import { mutate } from '$lib/graphql/mutate';

/** How the workspace scores and assigns new leads (Settings › Lead scoring, › Lead assignment): saving a part. */
export const UPDATE_LEAD_SETTINGS_MUTATION = `
  mutation UpdateLeadSettings($input: UpdateLeadSettingsInput!) {
    updateLeadSettings(input: $input) { settings { updatedAt } }
  }
`;

export type SettingsPart = 'scoringRules' | 'assignmentRules';

/** The API's field messages (`scoringRules.monthlyBill.bands.2.max`) by their path inside `part`. */
export function errorsWithin(part: SettingsPart, fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k.startsWith(part) ? k.slice(part.length).replace(/^\./, '') : k,
      v,
    ]),
  );
}

/** Saves one part (null restores the built-in scoring, or switches assignment off). */
export async function saveLeadSettings(
  client: Client,
  part: SettingsPart,
  rules: Record<string, unknown> | null,
): Promise<{ ok: true } | { ok: false; errors: Record<string, string>; message: string | null }> {
  const result = await mutate(
    client,
    UPDATE_LEAD_SETTINGS_MUTATION,
    { input: { [part]: rules } },
    { prefix: 'input' },
  );
  if (result.ok) return { ok: true };
  const errors = errorsWithin(part, result.errors.fields);
  return {
    ok: false,
    errors,
    message: result.errors.form ?? (Object.keys(errors).length ? 'Some rules need fixing: see below.' : null),
  };
}
