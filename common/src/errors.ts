import type { z } from 'zod';

/** Field path → messages, as shown to API clients. */
export type FieldErrors = Record<string, string[]>;

export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

export class ValidationFailed extends AppError {
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';
  constructor(
    public readonly fields: FieldErrors,
    message = 'Some fields are invalid',
  ) {
    super(message);
    this.name = 'ValidationFailed';
  }
  static fromZod(error: z.ZodError, prefix: string[] = []): ValidationFailed {
    return new ValidationFailed(zodFieldErrors(error, prefix));
  }
}

export class Unauthorized extends AppError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
}
export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}
export class NotFound extends AppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}
export class Conflict extends AppError {
  readonly status = 409;
  readonly code = 'CONFLICT';
}
export class PayloadTooLarge extends AppError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}
export class Locked extends AppError {
  readonly status = 423;
  readonly code = 'LOCKED';
}
export class Unavailable extends AppError {
  readonly status = 503;
  readonly code = 'UNAVAILABLE';
}

export function zodFieldErrors(error: z.ZodError, prefix: string[] = []): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = [...prefix, ...issue.path.map(String)].join('.') || '_';
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** The one JSON shape every HTTP error takes. */
export function errorBody(err: AppError): { error: { code: string; message: string; fields?: FieldErrors } } {
  return {
    error: {
      code: err.code,
      message: err.message,
      ...(err instanceof ValidationFailed ? { fields: err.fields } : {}),
    },
  };
}
