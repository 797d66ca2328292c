import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';

/** Link tokens are 32 random bytes (base64url); only their sha256 is stored, like session tokens. */
export const INVITATION_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest();

export type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export interface InvitationView {
  id: string;
  email: string;
  /** the runtime role key granted on acceptance */
  role: string;
  invitedBy: { id: string; displayName: string };
  status: InvitationStatus;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
}

export interface Invitation {
  id: string;
  tenantId: string;
  email: string;
  role: string;
  invitedBy: string;
  inviterName: string;
  status: InvitationStatus;
  expiresAt: Date;
}

interface InvitationRow {
  id: string;
  tenant_id: string;
  email: string;
  role_id: string;
  invited_by: string;
  inviter_name: string;
  created_at: Date;
  expires_at: Date;
  accepted_at: Date | null;
  revoked_at: Date | null;
}

const statusOf = (r: Pick<InvitationRow, 'accepted_at' | 'revoked_at' | 'expires_at'>): InvitationStatus =>
  r.accepted_at
    ? 'accepted'
    : r.revoked_at
      ? 'revoked'
      : r.expires_at.getTime() <= Date.now()
        ? 'expired'
        : 'pending';

/** A new invitation; earlier pending ones for the same email are revoked (the newest link is the one that works). */
export async function createInvitation(
  db: Knex,
  input: { tenantId: string; email: string; role: string; invitedBy: string; ttlHours: number },
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const id = randomUUID();
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  await db.transaction(async (trx) => {
    await pending(trx, input.tenantId).where({ email: input.email }).update({ revoked_at: new Date() });
    await trx('tenant_invitations').insert({
      id,
      tenant_id: input.tenantId,
      email: input.email,
      role_id: input.role,
      invited_by: input.invitedBy,
      token_hash: hashToken(token),
      expires_at: expiresAt,
    });
  });
  return { token, id, expiresAt };
}

const pending = (db: Knex, tenantId: string) =>
  db('tenant_invitations')
    .where({ tenant_id: tenantId })
    .whereNull('accepted_at')
    .whereNull('revoked_at')
    .andWhere('expires_at', '>', new Date());

const SELECT = [
  'v.id',
  'v.tenant_id',
  'v.email',
  'v.role_id',
  'v.invited_by',
  'i.display_name as inviter_name',
  'v.created_at',
  'v.expires_at',
  'v.accepted_at',
  'v.revoked_at',
];
const withInviter = (db: Knex) =>
  db({ v: 'tenant_invitations' }).join({ i: 'identities' }, 'i.id', 'v.invited_by');

/** The invitation a link token names, only within `tenantId` (a link for tenant A is unknown on B's host). */
export async function findInvitationByToken(
  db: Knex,
  tenantId: string,
  token: string,
): Promise<Invitation | null> {
  if (!INVITATION_TOKEN_PATTERN.test(token)) return null;
  const row = (await withInviter(db)
    .first(...SELECT)
    .where({ 'v.token_hash': hashToken(token), 'v.tenant_id': tenantId })) as InvitationRow | undefined;
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    email: row.email,
    role: row.role_id,
    invitedBy: row.invited_by,
    inviterName: row.inviter_name,
    status: statusOf(row),
    expiresAt: row.expires_at,
  };
}

/** Spends a pending invitation; false when another request spent it first, or it lapsed meanwhile. */
export async function claimInvitation(
  db: Knex,
  invitation: Invitation,
  identityId: string,
): Promise<boolean> {
  const n = await pending(db, invitation.tenantId)
    .where({ id: invitation.id })
    .update({ accepted_at: new Date(), accepted_identity_id: identityId });
  return n > 0;
}

export async function listInvitations(db: Knex, tenantId: string): Promise<InvitationView[]> {
  const rows = (await withInviter(db)
    .select(...SELECT)
    .where('v.tenant_id', tenantId)
    .orderBy('v.created_at', 'desc')
    .limit(500)) as InvitationRow[];
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    role: r.role_id,
    invitedBy: { id: r.invited_by, displayName: r.inviter_name },
    status: statusOf(r),
    createdAt: r.created_at.toISOString(),
    expiresAt: r.expires_at.toISOString(),
    acceptedAt: r.accepted_at?.toISOString() ?? null,
  }));
}

export async function revokeInvitation(db: Knex, tenantId: string, id: string): Promise<boolean> {
  return (await pending(db, tenantId).where({ id }).update({ revoked_at: new Date() })) > 0;
}
