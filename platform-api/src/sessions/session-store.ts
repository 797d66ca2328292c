import { randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';
import { hashSessionToken, newSessionToken } from './session-token.js';

/** Who a valid session speaks for. */
export interface SessionPrincipal {
  sessionId: string;
  identityId: string;
  tenantId: string;
  email: string;
  displayName: string;
  expiresAt: Date;
}

export interface NewSession {
  identityId: string;
  tenantId: string;
  ttlHours: number;
  userAgent?: string;
  ip?: string;
}

export async function createSession(
  db: Knex,
  input: NewSession,
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const token = newSessionToken();
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db('sessions').insert({
    id,
    identity_id: input.identityId,
    tenant_id: input.tenantId,
    token_hash: hashSessionToken(token),
    user_agent: input.userAgent?.slice(0, 255) || null,
    ip: input.ip?.slice(0, 64) || null,
    expires_at: expiresAt,
  });
  return { id, token, expiresAt };
}

/**
 * The principal for a token, but only within `tenantId`: a session of another tenant, an expired or
 * revoked one, or one whose identity was disabled all come back as null.
 */
export async function findSession(
  db: Knex,
  tenantId: string,
  token: string,
): Promise<SessionPrincipal | null> {
  const row = await db({ s: 'sessions' })
    .join({ i: 'identities' }, 'i.id', 's.identity_id')
    .select<{
      id: string;
      identity_id: string;
      tenant_id: string;
      email: string;
      display_name: string;
      expires_at: Date;
    }>('s.id', 's.identity_id', 's.tenant_id', 'i.email', 'i.display_name', 's.expires_at')
    .where('s.token_hash', hashSessionToken(token))
    .andWhere('s.tenant_id', tenantId)
    .andWhere('i.tenant_id', tenantId)
    .andWhere('i.status', 'active')
    .whereNull('s.revoked_at')
    // compared against a bound JS date so the DB session time zone cannot skew expiry
    .andWhere('s.expires_at', '>', new Date())
    .first();
  if (!row) return null;
  return {
    sessionId: row.id,
    identityId: row.identity_id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    expiresAt: row.expires_at,
  };
}

export async function revokeSession(db: Knex, sessionId: string): Promise<void> {
  await db('sessions').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: new Date() });
}
