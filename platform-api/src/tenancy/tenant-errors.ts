import { AppError } from '@solar/common';
import type { RetryLater } from '../http/error-handler.js';

export class TenantNotFound extends AppError {
  readonly status = 404;
  readonly code = 'TENANT_NOT_FOUND';
  constructor(message = 'No such tenant') {
    super(message);
  }
}

/** The tenant exists but is still being set up; clients should retry shortly. */
export class TenantProvisioning extends AppError implements RetryLater {
  readonly status = 503;
  readonly code = 'TENANT_PROVISIONING';
  constructor(readonly retryAfterSeconds = 5) {
    super('This workspace is being set up; try again shortly');
  }
}

/** The tenant is known but has no routable runtime right now. */
export class TenantUnavailable extends AppError implements RetryLater {
  readonly status = 503;
  readonly code = 'TENANT_UNAVAILABLE';
  constructor(readonly retryAfterSeconds = 5) {
    super('This workspace is temporarily unavailable');
  }
}

/** The host names one tenant and X-Tenant another; refusing beats guessing which one was meant. */
export class TenantMismatch extends AppError {
  readonly status = 400;
  readonly code = 'TENANT_MISMATCH';
  constructor() {
    super('X-Tenant does not match the tenant of this host');
  }
}
