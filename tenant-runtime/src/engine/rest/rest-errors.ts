import { AppError } from '@solar/common';

/** If-Match named a version that is no longer current: someone changed the resource since it was read. */
export class PreconditionFailed extends AppError {
  readonly status = 412;
  readonly code = 'PRECONDITION_FAILED';
}

/** An Idempotency-Key was reused for a different request. */
export class IdempotencyKeyReused extends AppError {
  readonly status = 422;
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}
