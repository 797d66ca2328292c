import { randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';
import { hashSessionToken, newSessionToken } from '../sessions/session-token.js';

/** Time to open the authenticator app and type a code. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge may take before it is spent; the sign-in lockout counts them too. */
export const CHALLENGE_MAX_FAILURES = 5;

/** The opaque token that carries a password-verified sign-in to its second step. Stored hashed. */
export async function createChallenge(
  db: Knex,
  identityId: string,
  tenantId: string,
): Promise<{ challenge: string; expiresAt: Date }> {
  const challenge = newSessionToken();
  const expiresAt = new Date(Date.now() + CHALLENGE_TTL_MS);
  await db('mfa_challenges').insert({
    id: randomUUID(),
    identity_id: identityId,
    tenant_id: tenantId,
    token_hash: hashSessionToken(challenge),
    expires_at: expiresAt,
  });
  return { challenge, expiresAt };
}

export interface OpenChallenge {
  id: string;
  identityId: string;
}

/** A live challenge of this tenant, or null (unknown, expired, used, or out of attempts). */
export async function findChallenge(
  db: Knex,
  tenantId: string,
  challenge: string,
): Promise<OpenChallenge | null> {
  const row = await db('mfa_challenges')
    .first<{ id: string; identity_id: string } | undefined>('id', 'identity_id')
    .where({ token_hash: hashSessionToken(challenge), tenant_id: tenantId })
    .whereNull('used_at')
    .andWhere('expires_at', '>', new Date())
    .andWhere('failed_attempts', '<', CHALLENGE_MAX_FAILURES);
  return row ? { id: row.id, identityId: row.identity_id } : null;
}

export async function failChallenge(db: Knex, id: string): Promise<void> {
  await db('mfa_challenges').where({ id }).increment('failed_attempts', 1);
}

/** Spends the challenge; false when a concurrent request spent it first. */
export async function spendChallenge(db: Knex, id: string): Promise<boolean> {
  return (await db('mfa_challenges').where({ id }).whereNull('used_at').update({ used_at: new Date() })) > 0;
}
