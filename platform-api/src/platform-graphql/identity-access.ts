import type { Knex } from '@solar/common';
import { recordSecurityEvent, type EventOrigin } from '../audit/security-events.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import { disableTenantSso, setTenantSso, type TenantSsoInput } from '../sso/tenant-sso-settings.js';
import { MANAGE_ACCESS, type TenantRoles } from '../tenant-roles/tenant-roles.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import type { AdminSecurity } from './platform-admins.js';
import { requireTenantOwner, setMfaRequired } from './tenant-settings.js';

/** Identity services the platform GraphQL uses, wired once in app.ts. */
export interface PlatformIdentity {
  roles: TenantRoles;
  admins: AdminSecurity;
  /** PLATFORM_SECRET_KEY, parsed: seals SSO client secrets */
  secretKey: Buffer;
  /** http:// SSO issuers accepted (outside production) */
  allowInsecureIssuer: boolean;
}

/** What these resolvers read from the platform GraphQL context. */
export interface IdentityContext {
  db: Knex;
  principal: SessionPrincipal | undefined;
  tenant?: RegistryTenant | undefined;
  identity?: PlatformIdentity | undefined;
  origin?: EventOrigin | undefined;
}

/**
 * The caller's tenant when they administer it: a member holding access:manage:all tenant-wide (asked of the
 * runtime) or the owner. Without identity services wired (narrow test setups) only the owner passes.
 */
export async function requireTenantAdmin(ctx: IdentityContext): Promise<{ id: string; identityId: string }> {
  if (!ctx.identity) {
    const owner = await requireTenantOwner(ctx.db, ctx.principal);
    return { id: owner.id, identityId: owner.ownerId };
  }
  const principal = await ctx.identity.roles.require(
    { tenant: ctx.tenant, principal: ctx.principal },
    MANAGE_ACCESS,
  );
  return { id: principal.tenantId, identityId: principal.identityId };
}

/** Administrators switch "every member needs TOTP" on or off; audited. */
export async function changeMfaPolicy(ctx: IdentityContext, required: boolean): Promise<string> {
  const tenant = await requireTenantAdmin(ctx);
  await setMfaRequired(ctx.db, tenant.id, required);
  await recordSecurityEvent(
    ctx.db,
    { type: 'mfa_policy_changed', tenantId: tenant.id, identityId: tenant.identityId, details: { required } },
    ctx.origin,
  );
  return tenant.id;
}

/** Administrators set up (or replace) the workspace's OpenID Connect provider. */
export async function changeSso(ctx: IdentityContext, input: TenantSsoInput): Promise<string> {
  const tenant = await requireTenantAdmin(ctx);
  if (!ctx.identity) throw new Error('SSO settings need the identity services');
  await setTenantSso(
    { db: ctx.db, secretKey: ctx.identity.secretKey, allowInsecureIssuer: ctx.identity.allowInsecureIssuer },
    tenant.id,
    // GraphQL sends omitted optional fields as absent but explicit ones may be null: both mean "not given"
    Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null)) as TenantSsoInput,
  );
  return tenant.id;
}

/** Administrators switch SSO off (settings kept). */
export async function switchSsoOff(ctx: IdentityContext): Promise<string> {
  const tenant = await requireTenantAdmin(ctx);
  await disableTenantSso(ctx.db, tenant.id);
  return tenant.id;
}
