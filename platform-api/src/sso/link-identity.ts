import { randomUUID } from 'node:crypto';
import type { Knex } from '@solar/common';
import { findIdentityByEmail } from '../identity/find-identity.js';
import type { IdentityRow } from '../identity/identity.js';
import { SsoRefused } from './sso-errors.js';

/** A provider account the provider has vouched for: verified email, already inside the allowed domains. */
export interface VerifiedSsoAccount {
  issuer: string;
  subject: string;
  /** normalised (trimmed, lower-case) */
  email: string;
  displayName: string;
}

export interface LinkedIdentity {
  identity: Pick<IdentityRow, 'id' | 'email' | 'display_name'>;
  /** how it was found: by an earlier SSO sign-in, by email (first SSO sign-in of a member), or made now */
  via: 'link' | 'email' | 'created';
}

/**
 * The member of `tenantId` this provider account signs in as, in this order: the account linked before
 * (issuer + subject, stable even when the email changes), the member with the same verified email (linked
 * now), or a new password-less member created just in time with the tenant's default role recorded for the
 * runtime. Run inside the sign-in transaction so a refusal or failure leaves nothing behind.
 */
export async function linkIdentity(
  trx: Knex,
  tenantId: string,
  account: VerifiedSsoAccount,
  defaultRole: string,
): Promise<LinkedIdentity> {
  const linked = await trx({ l: 'identity_sso_links' })
    .join({ i: 'identities' }, 'i.id', 'l.identity_id')
    .first<{ link_id: number; id: string; email: string; display_name: string; status: string } | undefined>(
      'l.id as link_id',
      'i.id',
      'i.email',
      'i.display_name',
      'i.status',
    )
    .where({ 'l.tenant_id': tenantId, 'l.issuer': account.issuer, 'l.subject': account.subject })
    .andWhere('i.tenant_id', tenantId);
  if (linked) {
    if (linked.status !== 'active') throw new SsoRefused('sso_account_disabled', 'linked member disabled');
    await trx('identity_sso_links').where({ id: linked.link_id }).update({ last_sign_in_at: new Date() });
    return { identity: linked, via: 'link' };
  }

  const byEmail = await findIdentityByEmail(trx, tenantId, account.email);
  if (byEmail) {
    if (byEmail.status !== 'active') throw new SsoRefused('sso_account_disabled', 'member disabled');
    const other = await trx('identity_sso_links')
      .first('id')
      .where({ identity_id: byEmail.id, issuer: account.issuer });
    // Same email, different account at the same provider (e.g. a recycled address): never merge them.
    if (other) throw new SsoRefused('sso_account_conflict', 'member linked to another subject');
    await insertLink(trx, tenantId, byEmail.id, account, null);
    return { identity: byEmail, via: 'email' };
  }

  const identity = {
    id: randomUUID(),
    tenant_id: tenantId,
    email: account.email,
    display_name: account.displayName,
    password_hash: null,
    status: 'active' as const,
  };
  await trx('identities').insert(identity);
  await insertLink(trx, tenantId, identity.id, account, defaultRole);
  return { identity, via: 'created' };
}

function insertLink(
  trx: Knex,
  tenantId: string,
  identityId: string,
  account: VerifiedSsoAccount,
  defaultRole: string | null,
) {
  return trx('identity_sso_links').insert({
    tenant_id: tenantId,
    identity_id: identityId,
    issuer: account.issuer,
    subject: account.subject,
    default_role: defaultRole,
    last_sign_in_at: new Date(),
  });
}

/** Two first sign-ins of the same person raced; the loser retries and finds the winner's rows. */
export const isDuplicate = (err: unknown): boolean => (err as { code?: string }).code === 'ER_DUP_ENTRY';
