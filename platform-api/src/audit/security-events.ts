import type { Knex } from '@solar/common';
import type { AppContext } from '../http/koa.js';

/** Everything the security audit log records. Add new types here so the list stays the whole truth. */
export const SECURITY_EVENT_TYPES = [
  'sign_in',
  'sign_in_failed',
  'locked_out',
  'sign_out',
  'mfa_challenge_failed',
  'mfa_enrolled',
  'mfa_disabled',
  'recovery_code_used',
  'session_revoked',
  'sessions_revoked_all',
  'refresh_reuse_detected',
  'csrf_refused',
  'api_key_created',
  'api_key_revoked',
  'oauth_client_created',
  'oauth_client_revoked',
  'oauth_token_failed',
  'invitation_created',
  'invitation_revoked',
  'invitation_accepted',
  'mfa_policy_changed',
  'admin_sign_in',
  'admin_sign_in_failed',
  'admin_mfa_enrolled',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export interface SecurityEvent {
  type: SecurityEventType;
  tenantId?: string | null;
  identityId?: string | null;
  /** small facts about the event (ids, counts, reasons) — never passwords, codes, tokens or secrets */
  details?: Record<string, string | number | boolean | null>;
}

/** Who asked, as recorded beside every event. */
export interface EventOrigin {
  ip?: string;
  userAgent?: string;
  requestId?: string;
}

export const originOf = (ctx: AppContext): EventOrigin => ({
  ip: ctx.ip,
  userAgent: ctx.get('User-Agent'),
  requestId: ctx.state.requestId,
});

export async function recordSecurityEvent(
  db: Knex,
  event: SecurityEvent,
  origin: EventOrigin = {},
): Promise<void> {
  await db('security_events').insert({
    tenant_id: event.tenantId ?? null,
    identity_id: event.identityId ?? null,
    type: event.type,
    ip: origin.ip?.slice(0, 64) || null,
    user_agent: origin.userAgent?.slice(0, 255) || null,
    request_id: origin.requestId?.slice(0, 128) || null,
    details: event.details ? JSON.stringify(event.details) : null,
  });
}

/** Records an event for this request, with its tenant and origin filled in. */
export function audit(
  db: Knex,
  ctx: AppContext,
  event: Omit<SecurityEvent, 'tenantId'> & { tenantId?: string | null },
) {
  return recordSecurityEvent(db, { tenantId: ctx.state.tenant?.id ?? null, ...event }, originOf(ctx));
}

export interface SecurityEventView {
  id: string;
  type: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: unknown;
  at: string;
}

/** One identity's own events in its tenant, newest first; `before` is the id of the last event already seen. */
export async function listSecurityEvents(
  db: Knex,
  query: { tenantId: string; identityId: string; limit: number; before?: number },
): Promise<SecurityEventView[]> {
  const rows: Array<{
    id: number | string;
    type: string;
    ip: string | null;
    user_agent: string | null;
    request_id: string | null;
    details: unknown;
    created_at: Date;
  }> = await db('security_events')
    .select('id', 'type', 'ip', 'user_agent', 'request_id', 'details', 'created_at')
    .where({ tenant_id: query.tenantId, identity_id: query.identityId })
    .modify((q) => {
      if (query.before !== undefined) q.andWhere('id', '<', query.before);
    })
    .orderBy('id', 'desc')
    .limit(query.limit);
  return rows.map((r) => ({
    id: String(r.id),
    type: r.type,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: typeof r.details === 'string' ? (JSON.parse(r.details) as unknown) : r.details,
    at: r.created_at.toISOString(),
  }));
}
