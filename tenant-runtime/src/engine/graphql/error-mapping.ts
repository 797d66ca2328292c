import { AppError, ValidationFailed } from '@solar/common';
import { GraphQLError } from './graphql-lib.js';
import { maskError as yogaMaskError } from 'graphql-yoga';

/**
 * The one place typed errors become GraphQL errors: `extensions: { code, fields?, http: { status } }`, so the
 * HTTP status follows the error (400 validation, 423 suspended, 503 not ready…). Anything untyped is masked
 * as Yoga does ("Unexpected error.", 500) and never leaks its message.
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const located = error instanceof GraphQLError ? error : undefined;
  const original = innermost(error);
  if (original instanceof AppError) {
    return new GraphQLError(original.message, {
      nodes: located?.nodes ?? null,
      source: located?.source ?? null,
      positions: located?.positions ?? null,
      path: located?.path ?? null,
      originalError: original,
      extensions: {
        code: original.code,
        ...(original instanceof ValidationFailed ? { fields: original.fields } : {}),
        http: { status: original.status },
      },
    });
  }
  return yogaMaskError(error, message, isDev);
}

function innermost(error: unknown): unknown {
  let current = error;
  while (current instanceof GraphQLError && current.originalError) current = current.originalError;
  return current;
}
