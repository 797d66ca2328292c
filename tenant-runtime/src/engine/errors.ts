import { AppError } from '@solar/common';

/*
 * Tenant-lifecycle errors the runtime answers with. They extend the shared AppError so the one HTTP mapping
 * (http/error-handler.ts) and the one GraphQL mapping (graphql/error-mapping.ts) handle them unchanged.
 */

/** The tenant exists but is not serving yet (provisioning, migrating, failed, deleting). */
export class TenantNotReady extends AppError {
  readonly status = 503;
  readonly code = 'TENANT_NOT_READY';
}

/** A suspended tenant is read-only: every write is refused. */
export class TenantSuspended extends AppError {
  readonly status = 423;
  readonly code = 'TENANT_SUSPENDED';
  constructor(message = 'This workspace is suspended; it can be read but not changed') {
    super(message);
  }
}

/** The token names a tenant the registry does not know (or has deleted). */
export class TenantNotFound extends AppError {
  readonly status = 404;
  readonly code = 'TENANT_NOT_FOUND';
}

/** A dedicated runtime was called for a tenant it does not serve. */
export class WrongRuntime extends AppError {
  readonly status = 421;
  readonly code = 'WRONG_RUNTIME';
}
