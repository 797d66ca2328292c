import type { Logger } from '@solar/common';
import { createDataAccess, type DataAccess } from './data/data-access.js';
import type { Actor } from './data/scope.js';
import type { TenantConnection } from './tenancy/tenant-directory.js';

/** Who is calling, exactly as the verified internal token says; nothing else contributes to it. */
export interface Caller {
  tenantId: string;
  tenantSlug: string;
  userId: string;
  sessionId: string;
  scopes: string[];
  /** optional token claims: shown for a member the runtime has not seen before */
  email?: string;
  name?: string;
}

/**
 * Koa `ctx.state` for one request. Each middleware in app.ts fills in its part, in order:
 * requestId/log (request-context) → caller (authenticate) → body (read-body) → tenant (resolve-tenant)
 * → actor (resolve-access).
 */
export interface RuntimeState {
  requestId: string;
  log: Logger;
  caller?: Caller;
  /** the raw request body, read within MAX_BODY_BYTES */
  body?: Buffer;
  tenant?: TenantConnection;
  /** the caller as a member of the tenant, with what each permission reaches (resolveAccess) */
  actor?: Actor;
}

/** The one typed object resolvers, services and repositories receive. Built only once the tenant is resolved. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  caller: Caller;
  tenant: { id: string; slug: string; readOnly: boolean };
  /** the caller as a member: their id, default team and permission scopes */
  actor: Actor;
  /** the tenant-scoped, row-scoped data-access path; the only way modules reach the database */
  data: DataAccess;
}

/** Builds the request context from what the middleware chain resolved; fails loudly if a step was skipped. */
export function requestContextFrom(
  state: RuntimeState,
  scopedTables: readonly string[] = [],
): RequestContext {
  const { caller, tenant, actor } = state;
  if (!caller || !tenant || !actor)
    throw new Error('request context needs authenticate, resolveTenant and resolveAccess to run first');
  return {
    requestId: state.requestId,
    log: state.log,
    caller,
    tenant: { id: tenant.id, slug: tenant.slug, readOnly: tenant.readOnly },
    actor,
    data: createDataAccess({
      db: tenant.db,
      tenantId: tenant.id,
      actor,
      readOnly: tenant.readOnly,
      scopedTables,
    }),
  };
}
