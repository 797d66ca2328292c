import type { FieldMessages } from '$lib/graphql/field-errors';

/**
 * API keys and OAuth clients are the same idea to an administrator: a named credential with scopes and an
 * expiry, whose secret is shown once. One form reader and one screen serve both.
 */

/** Scopes as platform-api accepts them: `*`, `resource:action` or `resource:*`. */
export const SCOPE_PATTERN = /^(\*|[a-z][a-z_]*:[a-z][a-z_]*|[a-z][a-z_]*:\*)$/;

/** The common choices, as tick boxes; anything else goes in "other scopes". */
export const SCOPE_CHOICES: readonly { value: string; label: string }[] = [
  { value: '*', label: 'Full access (everything the creator may do)' },
  { value: 'leads:read', label: 'Read leads' },
  { value: 'leads:create', label: 'Create leads' },
  { value: 'leads:update', label: 'Update leads' },
  { value: 'customers:read', label: 'Read customers' },
  { value: 'opportunities:read', label: 'Read opportunities' },
  { value: 'proposals:read', label: 'Read proposals' },
];

export const EXPIRY_CHOICES: readonly { value: string; label: string }[] = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
];

export interface CredentialInput {
  name: string;
  scopes: string[];
  expiresAt: string | null;
}

export type CredentialFormResult =
  | { ok: true; input: CredentialInput }
  | {
      ok: false;
      fields: FieldMessages;
      values: { name: string; scopes: string[]; otherScopes: string; expiry: string };
    };

/** Reads the create form (name, ticked scopes, other scopes separated by commas or spaces, expiry). */
export function readCredentialForm(form: FormData, now: Date = new Date()): CredentialFormResult {
  const name = String(form.get('name') ?? '').trim();
  const ticked = form.getAll('scopes').map(String);
  const otherScopes = String(form.get('otherScopes') ?? '').trim();
  const other = otherScopes.split(/[\s,]+/).filter(Boolean);
  const expiry = String(form.get('expiry') ?? '90');
  const fields: FieldMessages = {};

  if (!name) fields['name'] = 'Give it a name, e.g. the integration that will use it';
  else if (name.length > 100) fields['name'] = 'Keep the name under 100 characters';
  const wrong = other.filter((s) => !SCOPE_PATTERN.test(s));
  if (wrong.length)
    fields['otherScopes'] = `Not a scope: ${wrong.join(', ')} (use resource:action, e.g. leads:read)`;
  const scopes = [...new Set([...ticked.filter((s) => SCOPE_PATTERN.test(s)), ...other])];
  if (!scopes.length && !wrong.length) fields['scopes'] = 'Choose at least one scope';
  const days = expiry === 'never' ? null : Number(expiry);
  if (days !== null && !EXPIRY_CHOICES.some((c) => c.value === expiry))
    fields['expiry'] = 'Choose when it expires';

  if (Object.keys(fields).length)
    return { ok: false, fields, values: { name, scopes: ticked, otherScopes, expiry } };
  return {
    ok: true,
    input: {
      name,
      scopes,
      expiresAt: days === null ? null : new Date(now.getTime() + (days ?? 0) * 86_400_000).toISOString(),
    },
  };
}

/** "Expired", "Never", or the date; for the list. */
export function expiryLabel(
  expiresAt: string | null,
  now: Date = new Date(),
): { text: string; expired: boolean } {
  if (!expiresAt) return { text: 'Never', expired: false };
  const at = new Date(expiresAt);
  const date = at.toLocaleDateString('en', {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return at.getTime() <= now.getTime()
    ? { text: `Expired ${date}`, expired: true }
    : { text: date, expired: false };
}

/** One row of the list, whichever kind. */
export interface CredentialRow {
  id: string;
  name: string;
  /** what identifies it in logs and requests: the key prefix, or the client id */
  handle: string;
  scopes: string[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

/** What a create/revoke answers the page. */
export interface CredentialAnswer {
  action: 'create' | 'revoke';
  /** the secret, shown once: the API key, or the OAuth client's id and secret */
  created?: { name: string; secret: string; clientId?: string };
  done?: string;
  fields: FieldMessages;
  message: string | null;
  values?: { name: string; scopes: string[]; otherScopes: string; expiry: string };
}
