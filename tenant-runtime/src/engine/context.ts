import type { Logger } from '@solar/common';
import { createDataAccess, type DataAccess } from './data/data-access.js';
import type { TenantConnection } from './tenancy/tenant-directory.js';

/** Who is calling, exactly as the verified internal token says; nothing else contributes to it. */
export interface Caller {
  tenantId: string;
  tenantSlug: string;
  userId: string;
  sessionId: string;
  scopes: string[];
}

/**
 * Koa `ctx.state` for one request. Each middleware in app.ts fills in its part, in order:
 * requestId/log (request-context) → caller (authenticate) → body (read-body) → tenant (resolve-tenant).
 */
export interface RuntimeState {
  requestId: string;
  log: Logger;
  caller?: Caller;
  /** the raw request body, read within MAX_BODY_BYTES */
  body?: Buffer;
  tenant?: TenantConnection;
}

/** The one typed object resolvers, services and repositories receive. Built only once the tenant is resolved. */
export interface RequestContext {
  requestId: string;
  log: Logger;
  caller: Caller;
  tenant: { id: string; slug: string; readOnly: boolean };
  /** the tenant-scoped data-access path; the only way modules reach the database */
  data: DataAccess;
}

/** Builds the request context from what the middleware chain resolved; fails loudly if a step was skipped. */
export function requestContextFrom(state: RuntimeState): RequestContext {
  const { caller, tenant } = state;
  if (!caller || !tenant)
    throw new Error('request context needs authenticate and resolveTenant to run first');
  return {
    requestId: state.requestId,
    log: state.log,
    caller,
    tenant: { id: tenant.id, slug: tenant.slug, readOnly: tenant.readOnly },
    data: createDataAccess({ db: tenant.db, tenantId: tenant.id, caller, readOnly: tenant.readOnly }),
  };
}
