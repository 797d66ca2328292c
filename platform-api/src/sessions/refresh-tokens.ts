import { randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';
import { hashSessionToken, newSessionToken } from './session-token.js';

/**
 * Rotating refresh tokens. All tokens of one session form a family; each is good for exactly one refresh.
 * Presenting a token that was already used means two parties hold it (one of them stole it), so the
 * whole family — the session — is revoked.
 */
export async function issueRefreshToken(db: Knex, sessionId: string): Promise<string> {
  const token = newSessionToken();
  await db('refresh_tokens').insert({
    id: randomUUID(),
    session_id: sessionId,
    token_hash: hashSessionToken(token),
  });
  return token;
}

export type Rotation =
  | { kind: 'rotated'; sessionId: string; identityId: string; token: string }
  | { kind: 'reused'; sessionId: string; identityId: string }
  | { kind: 'invalid' };

/** Spends `token` and issues its successor, or reports reuse (after revoking the family) or an unknown token. */
export async function rotateRefreshToken(db: Knex, tenantId: string, token: string): Promise<Rotation> {
  const row = await db({ r: 'refresh_tokens' })
    .join({ s: 'sessions' }, 's.id', 'r.session_id')
    .first<
      | {
          id: string;
          used_at: Date | null;
          session_id: string;
          identity_id: string;
          revoked_at: Date | null;
          expires_at: Date;
        }
      | undefined
    >('r.id', 'r.used_at', 'r.session_id', 's.identity_id', 's.revoked_at', 's.expires_at')
    .where('r.token_hash', hashSessionToken(token))
    .andWhere('s.tenant_id', tenantId);
  if (!row) return { kind: 'invalid' };
  const family = { sessionId: row.session_id, identityId: row.identity_id };
  if (row.used_at) {
    await revokeFamily(db, row.session_id);
    return { kind: 'reused', ...family };
  }
  if (row.revoked_at || row.expires_at.getTime() <= Date.now()) return { kind: 'invalid' };
  // Spend it atomically: of two concurrent refreshes with one token, only one wins; the other is reuse.
  const spent = await db('refresh_tokens')
    .where({ id: row.id })
    .whereNull('used_at')
    .update({ used_at: new Date() });
  if (spent === 0) {
    await revokeFamily(db, row.session_id);
    return { kind: 'reused', ...family };
  }
  return { kind: 'rotated', ...family, token: await issueRefreshToken(db, row.session_id) };
}

async function revokeFamily(db: Knex, sessionId: string): Promise<void> {
  await db('sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: new Date() });
}
