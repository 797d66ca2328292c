import { randomBytes } from 'node:crypto';
import { Conflict, Forbidden, NotFound, Unauthorized, ValidationFailed, type Knex } from '@solar/common';
import { z } from 'zod';
import { challengeName, challengeValue } from '../domains/domain-challenge.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { listCorsOrigins } from '../tenancy/tenant-cors-origins.js';

export const PLANS = ['starter', 'growth', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

export interface DomainClaim {
  domain: string;
  verified: boolean;
  /** publish this TXT record to prove the domain is yours */
  txtName: string;
  txtValue: string;
  /** when DNS was last asked (verifyDomain or the periodic re-check); null before the first check */
  lastCheckedAt?: Date | null;
  /** why the last check did not verify it */
  lastCheckError?: string | null;
}

export interface TenantSettings {
  slug: string;
  displayName: string;
  plan: string;
  mfaRequired: boolean;
  domains: DomainClaim[];
  /** browser origins allowed to call the workspace's API (CORS) */
  corsOrigins: string[];
  sso: { issuer: string; clientId: string; enabled: boolean } | null;
  pendingPlanChange: { toPlan: string; requestedAt: Date } | null;
}

const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/, {
    message: 'must be a hostname such as crm.example.com',
  });

/**
 * The caller's tenant when the caller is its owner (the identity that signed it up). Roles live in the
 * runtime; until the platform can ask for them, ownership is the one platform-level permission.
 */
export async function requireTenantOwner(
  db: Knex,
  principal: SessionPrincipal | undefined,
): Promise<{ id: string; slug: string; plan: string; ownerId: string }> {
  if (!principal) throw new Unauthorized('Sign in to your workspace first');
  if (principal.stage !== 'full') throw new Forbidden('Finish two-factor enrolment first');
  const row = await db('tenants')
    .first<{ id: string; slug: string; plan: string; owner_identity_id: string | null } | undefined>(
      'id',
      'slug',
      'plan',
      'owner_identity_id',
    )
    .where({ id: principal.tenantId })
    .whereNull('deleted_at');
  if (!row) throw new NotFound('Workspace not found');
  if (row.owner_identity_id !== principal.identityId)
    throw new Forbidden('Only the workspace owner can change its settings');
  return { id: row.id, slug: row.slug, plan: row.plan, ownerId: principal.identityId };
}

export async function tenantSettings(db: Knex, tenantId: string): Promise<TenantSettings> {
  const t = await db('tenants')
    .first<{ slug: string; display_name: string; plan: string; mfa_required: number | boolean }>(
      'slug',
      'display_name',
      'plan',
      'mfa_required',
    )
    .where({ id: tenantId });
  const claims = (await db('tenant_domain_claims')
    .where({ tenant_id: tenantId })
    .orderBy('domain')) as Array<{
    domain: string;
    verification_token: string;
    verified_at: Date | null;
    last_checked_at: Date | null;
    last_check_error: string | null;
  }>;
  const sso = (await db('tenant_sso')
    .first('issuer', 'client_id', 'enabled')
    .where({ tenant_id: tenantId })) as
    { issuer: string; client_id: string; enabled: number | boolean } | undefined;
  const pending = (await db('plan_change_requests')
    .first('to_plan', 'created_at')
    .where({ tenant_id: tenantId, status: 'pending' })
    .orderBy('id', 'desc')) as { to_plan: string; created_at: Date } | undefined;
  return {
    slug: t.slug,
    displayName: t.display_name,
    plan: t.plan,
    mfaRequired: Boolean(t.mfa_required),
    domains: claims.map((c) => ({
      domain: c.domain,
      verified: c.verified_at !== null,
      txtName: challengeName(c.domain),
      txtValue: challengeValue(c.verification_token),
      lastCheckedAt: c.last_checked_at,
      lastCheckError: c.last_check_error,
    })),
    corsOrigins: await listCorsOrigins(db, tenantId),
    sso: sso ? { issuer: sso.issuer, clientId: sso.client_id, enabled: Boolean(sso.enabled) } : null,
    pendingPlanChange: pending ? { toPlan: pending.to_plan, requestedAt: pending.created_at } : null,
  };
}

export async function setMfaRequired(db: Knex, tenantId: string, required: boolean): Promise<void> {
  await db('tenants')
    .where({ id: tenantId })
    .update({ mfa_required: required, updated_at: db.fn.now(3) });
}

/**
 * Claims a custom domain: stored unverified with a fresh token to publish as a DNS TXT record. It only
 * routes once verified (and copied into tenant_domains, which is what resolution reads).
 */
export async function addDomain(db: Knex, tenantId: string, domainInput: string): Promise<DomainClaim> {
  const parsed = hostnameSchema.safeParse(domainInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['domain']);
  const domain = parsed.data;
  // several tenants may claim a domain; only one can prove it, and once proven nobody else may claim it
  const inUse = await db('tenant_domains')
    .first('domain')
    .where({ domain })
    .whereNot({ tenant_id: tenantId });
  if (inUse) throw new Conflict(`${domain} is already verified by another workspace`);
  const token = randomBytes(16).toString('hex');
  try {
    await db('tenant_domain_claims').insert({ domain, tenant_id: tenantId, verification_token: token });
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_DUP_ENTRY')
      throw new Conflict(`${domain} is already claimed`);
    throw err;
  }
  return { domain, verified: false, txtName: challengeName(domain), txtValue: challengeValue(token) };
}

/** Withdraws a claim (and, if it was verified, stops routing it); only ever the caller's own tenant's. */
export async function removeDomain(db: Knex, tenantId: string, domain: string): Promise<void> {
  const where = { tenant_id: tenantId, domain: domain.trim().toLowerCase() };
  const removed = await db.transaction(async (trx): Promise<number> => {
    await trx('tenant_domains').where(where).delete();
    return trx('tenant_domain_claims').where(where).delete();
  });
  if (!removed) throw new NotFound(`${domain} is not one of this workspace's domains`);
}

const planSchema = z.enum(PLANS);

/** Records a request to change plan; billing/ops approve it (nothing changes yet). */
export async function requestPlanChange(
  db: Knex,
  tenant: { id: string; plan: string },
  identityId: string,
  toPlanInput: string,
): Promise<{ toPlan: Plan }> {
  const parsed = planSchema.safeParse(toPlanInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['plan']);
  if (parsed.data === tenant.plan) throw new ValidationFailed({ plan: ['is already your plan'] });
  await db('plan_change_requests').insert({
    tenant_id: tenant.id,
    requested_by: identityId,
    from_plan: tenant.plan,
    to_plan: parsed.data,
  });
  return { toPlan: parsed.data };
}
