import { AppError, ValidationFailed } from '@solar/common';
import { maskError as yogaMaskError } from 'graphql-yoga';
import { GraphQLError } from './graphql-lib.js';

/**
 * The one place typed errors become platform GraphQL errors: `extensions: { code, fields?, http: { status } }`.
 * Anything untyped is masked as Yoga does ("Unexpected error.", 500).
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  const located = error instanceof GraphQLError ? error : undefined;
  let original: unknown = error;
  while (original instanceof GraphQLError && original.originalError) original = original.originalError;
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
