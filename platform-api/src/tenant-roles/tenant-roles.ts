import { Forbidden, Unauthorized, type Knex } from '@solar/common';
import type { AppContext } from '../http/koa.js';
import { MfaEnrollmentRequired } from '../sessions/require-principal.js';
import type { SessionPrincipal } from '../sessions/session-store.js';
import type { RegistryTenant } from '../tenancy/tenant-registry.js';
import type { RuntimeGraphql } from './runtime-graphql.js';

/** Who may manage the workspace's access settings (MFA policy, SSO, keys, OAuth clients, invitations). */
export const MANAGE_ACCESS = 'access:manage:all';

const VIEWER_PERMISSIONS = /* GraphQL */ `
  query PlatformViewerPermissions {
    viewer {
      permissions
    }
  }
`;
const MAX_ENTRIES = 10_000;

export interface TenantRoles {
  /** The caller's permissions as the tenant's runtime states them (`resource:action:scope[@unit]`), cached. */
  permissionsOf(tenant: RegistryTenant, principal: SessionPrincipal): Promise<readonly string[]>;
  /**
   * The signed-in member, if they hold `permission` tenant-wide (a grant limited to a unit does not count)
   * or own the workspace (the identity that signed it up: it can never lock itself out of its settings).
   * 401 without a session of this tenant, 403 otherwise.
   */
  require(
    caller: { tenant: RegistryTenant | undefined; principal: SessionPrincipal | undefined },
    permission: string,
  ): Promise<SessionPrincipal>;
}

/**
 * Roles live in the runtime (tenant schema); the platform asks it `{ viewer { permissions } }` as the
 * caller and remembers the answer per (tenant, identity) for `cacheMs`, so a role change applies here
 * within that long.
 */
export function createTenantRoles(deps: { db: Knex; runtime: RuntimeGraphql; cacheMs: number }): TenantRoles {
  const remembered = new Map<string, { permissions: Promise<readonly string[]>; until: number }>();

  const permissionsOf: TenantRoles['permissionsOf'] = (tenant, principal) => {
    const key = `${tenant.id}:${principal.identityId}`;
    const hit = remembered.get(key);
    if (hit && hit.until > Date.now()) return hit.permissions;
    if (remembered.size >= MAX_ENTRIES) remembered.clear();
    const permissions = deps
      .runtime<{ viewer?: { permissions?: unknown } | null }>(
        tenant,
        { sub: principal.identityId, sid: principal.sessionId },
        VIEWER_PERMISSIONS,
      )
      // anything but a list of strings grants nothing (fail closed)
      .then((data) => {
        const listed = data.viewer?.permissions;
        return Object.freeze(Array.isArray(listed) ? listed.filter((p) => typeof p === 'string') : []);
      });
    remembered.set(key, { permissions, until: Date.now() + deps.cacheMs });
    // a failed question is not remembered: the next request asks again
    permissions.catch(() => remembered.delete(key));
    return permissions;
  };

  return {
    permissionsOf,
    async require({ tenant, principal }, permission) {
      if (!tenant || !principal || principal.tenantId !== tenant.id)
        throw new Unauthorized('Sign in to your workspace first');
      if (principal.stage !== 'full') throw new MfaEnrollmentRequired();
      if (await isOwner(deps.db, tenant.id, principal.identityId)) return principal;
      const permissions = await permissionsOf(tenant, principal);
      if (!permissions.includes(permission)) throw new Forbidden('Only workspace administrators can do this');
      return principal;
    },
  };
}

async function isOwner(db: Knex, tenantId: string, identityId: string): Promise<boolean> {
  const row = (await db('tenants').first('owner_identity_id').where({ id: tenantId })) as
    { owner_identity_id: string | null } | undefined;
  return row?.owner_identity_id === identityId;
}

/** Koa routes: the signed-in member of this request's tenant, if they hold `permission` (see TenantRoles.require). */
export function requireTenantPermission(
  ctx: AppContext,
  roles: TenantRoles,
  permission: string,
): Promise<SessionPrincipal> {
  return roles.require({ tenant: ctx.state.tenant, principal: ctx.state.principal }, permission);
}
