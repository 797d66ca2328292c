import { ValidationFailed } from '@solar/common';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const MIN_PASSWORD_LENGTH = 12;
/** zxcvbn's 0–4 scale; 3 is "safely unguessable: moderate protection from offline slow-hash attacks". */
const MIN_SCORE = 3;

/** What the password must not contain: the person's and the workspace's own names. */
export interface PasswordContext {
  email: string;
  tenantSlug?: string;
  tenantName?: string;
}

// Built once: loading the dictionaries (~1 MB) per check would dominate the request.
const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

const LEAKED = new Set(common.dictionary['passwords-common'] as string[]);

/**
 * Why a password is refused, as messages for the `password` field; empty when it is acceptable. Rules: at
 * least 12 characters, not (a variant of) a password from the common/breached list, no email or workspace
 * name inside, and a zxcvbn score of at least 3.
 */
export async function passwordProblems(password: string, context: PasswordContext): Promise<string[]> {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH)
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);

  const lower = password.toLowerCase();
  const email = context.email.trim().toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  if (lower.includes(email) || (localPart.length >= 3 && lower.includes(localPart))) {
    problems.push('must not contain your email address or name');
  }
  const workspace = [context.tenantSlug, context.tenantName, context.tenantName?.replace(/\s+/g, '')]
    .map((n) => n?.trim().toLowerCase() ?? '')
    .filter((n) => n.length >= 3);
  if (workspace.some((n) => lower.includes(n))) problems.push('must not contain the workspace name');

  const result = await zxcvbn.check(password, [email, localPart, ...workspace]);
  // "Common or breached": a leaked-list entry, bare or with digits/symbols stuck on (password1234, qwerty!!).
  const core = lower.replace(/^[^a-z]+|[^a-z]+$/g, '');
  const isLeaked = LEAKED.has(lower) || (core.length > 0 && LEAKED.has(core));
  if (isLeaked) problems.push('is a commonly used or breached password');
  else if (result.score < MIN_SCORE) {
    const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(' ');
    problems.push(`is too easy to guess${hint ? `: ${hint}` : ''}`);
  }
  return problems;
}

/** Throws ValidationFailed on the `password` field (or `field`) when the password breaks a rule. */
export async function assertPasswordAllowed(
  password: string,
  context: PasswordContext,
  field = 'password',
): Promise<void> {
  const problems = await passwordProblems(password, context);
  if (problems.length) throw new ValidationFailed({ [field]: problems }, 'Choose a stronger password');
}
