import { randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';
import { hashSessionToken, newSessionToken } from './session-token.js';

/** full: a normal session; mfa_enrollment: the tenant requires MFA and only enrolment is allowed yet. */
export type SessionStage = 'full' | 'mfa_enrollment';
/** cookie: the browser holds the session token; bearer: the client holds access + refresh tokens. */
export type SessionMode = 'cookie' | 'bearer';

/** Who a valid session speaks for. */
export interface SessionPrincipal {
  sessionId: string;
  identityId: string;
  tenantId: string;
  email: string;
  displayName: string;
  stage: SessionStage;
  mode: SessionMode;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

export interface NewSession {
  identityId: string;
  tenantId: string;
  ttlHours: number;
  stage?: SessionStage;
  mode?: SessionMode;
  userAgent?: string;
  ip?: string;
}

/**
 * A new session. The returned token is what a cookie session presents; bearer sessions never hand it out
 * (their clients hold access and refresh tokens instead), so for them it is an unused random value.
 */
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
    stage: input.stage ?? 'full',
    mode: input.mode ?? 'cookie',
    user_agent: input.userAgent?.slice(0, 255) || null,
    ip: input.ip?.slice(0, 64) || null,
    expires_at: expiresAt,
  });
  return { id, token, expiresAt };
}

interface PrincipalRow {
  id: string;
  identity_id: string;
  tenant_id: string;
  email: string;
  display_name: string;
  stage: SessionStage;
  mode: SessionMode;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
}

/** Live sessions of active identities in `tenantId` only; everything else is "no session". */
function liveSessions(db: Knex, tenantId: string) {
  return (
    db({ s: 'sessions' })
      .join({ i: 'identities' }, 'i.id', 's.identity_id')
      .select<PrincipalRow[]>(
        's.id',
        's.identity_id',
        's.tenant_id',
        'i.email',
        'i.display_name',
        's.stage',
        's.mode',
        's.created_at',
        's.last_seen_at',
        's.expires_at',
      )
      .where('s.tenant_id', tenantId)
      .andWhere('i.tenant_id', tenantId)
      .andWhere('i.status', 'active')
      .whereNull('s.revoked_at')
      // compared against a bound JS date so the DB session time zone cannot skew expiry
      .andWhere('s.expires_at', '>', new Date())
  );
}

/** The principal for a cookie token, but only within `tenantId`. */
export async function findSession(
  db: Knex,
  tenantId: string,
  token: string,
): Promise<SessionPrincipal | null> {
  const row = await liveSessions(db, tenantId).andWhere('s.token_hash', hashSessionToken(token)).first();
  return row ? toPrincipal(row) : null;
}

/** The principal for a session id named by an access token, checked against the token's identity too. */
export async function findSessionById(
  db: Knex,
  tenantId: string,
  sessionId: string,
  identityId: string,
): Promise<SessionPrincipal | null> {
  const row = await liveSessions(db, tenantId)
    .andWhere('s.id', sessionId)
    .andWhere('s.identity_id', identityId)
    .first();
  return row ? toPrincipal(row) : null;
}

/** The caller's live sessions, newest activity first. */
export async function listSessions(
  db: Knex,
  tenantId: string,
  identityId: string,
): Promise<Array<SessionPrincipal & { userAgent: string | null; ip: string | null }>> {
  const rows = await liveSessions(db, tenantId)
    .select<Array<PrincipalRow & { user_agent: string | null; ip: string | null }>>('s.user_agent', 's.ip')
    .andWhere('s.identity_id', identityId)
    .orderBy('s.last_seen_at', 'desc');
  return rows.map((r) => ({ ...toPrincipal(r), userAgent: r.user_agent, ip: r.ip }));
}

/** Writes at most once per this interval per session: a busy client must not turn reads into writes. */
export const TOUCH_INTERVAL_MS = 60_000;

/**
 * Sliding expiry: activity moves expires_at to now + ttl, but never past createdAt + maxDays. Throttled by
 * TOUCH_INTERVAL_MS (unless `force`). Returns the new expiry when it wrote one.
 */
export async function touchSession(
  db: Knex,
  principal: SessionPrincipal,
  limits: { ttlHours: number; maxDays: number },
  force = false,
): Promise<Date | null> {
  const now = Date.now();
  if (!force && now - principal.lastSeenAt.getTime() < TOUCH_INTERVAL_MS) return null;
  const expiresAt = new Date(
    Math.min(now + limits.ttlHours * 3_600_000, principal.createdAt.getTime() + limits.maxDays * 86_400_000),
  );
  await db('sessions')
    .where({ id: principal.sessionId })
    .whereNull('revoked_at')
    .update({ last_seen_at: new Date(now), expires_at: expiresAt });
  principal.lastSeenAt = new Date(now);
  principal.expiresAt = expiresAt;
  return expiresAt;
}

export async function revokeSession(db: Knex, sessionId: string): Promise<boolean> {
  const n = await db('sessions')
    .where({ id: sessionId })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  return n > 0;
}

/** Revokes one of the identity's own sessions; false when it is not theirs or already gone. */
export async function revokeOwnSession(db: Knex, identityId: string, sessionId: string): Promise<boolean> {
  const n = await db('sessions')
    .where({ id: sessionId, identity_id: identityId })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
  return n > 0;
}

export async function revokeAllSessions(db: Knex, identityId: string): Promise<number> {
  return db('sessions')
    .where({ identity_id: identityId })
    .whereNull('revoked_at')
    .update({ revoked_at: new Date() });
}

export async function setSessionStage(db: Knex, sessionId: string, stage: SessionStage): Promise<void> {
  await db('sessions').where({ id: sessionId }).update({ stage });
}

function toPrincipal(row: PrincipalRow): SessionPrincipal {
  return {
    sessionId: row.id,
    identityId: row.identity_id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    stage: row.stage,
    mode: row.mode,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}
