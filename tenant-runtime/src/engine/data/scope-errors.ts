import { AppError } from '@solar/common';

/**
 * A write would put a row where the caller's scope does not reach: a lead assigned into another team, or to
 * someone outside the caller's units. (Rows the caller cannot see at all are NotFound, never this.)
 */
export class OutOfScope extends AppError {
  readonly status = 403;
  readonly code = 'OUT_OF_SCOPE';
}
