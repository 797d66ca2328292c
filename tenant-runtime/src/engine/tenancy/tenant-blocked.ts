import { AppError } from '@solar/common';

/**
 * A tenant suspended with suspendMode Blocked: nothing is served, reads included. The second stage of
 * suspension (the first, read-only, answers writes with TenantSuspended/423). Lives beside the lifecycle
 * rule; it maps to HTTP/GraphQL through the shared AppError mapping like every other typed error.
 */
export class TenantBlocked extends AppError {
  readonly status = 403;
  readonly code = 'TENANT_BLOCKED';
  constructor(
    message = 'This workspace is suspended and cannot be used right now; its administrator can contact Solar CRM support to restore access',
  ) {
    super(message);
  }
}
