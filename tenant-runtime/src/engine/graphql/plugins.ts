import { AppError } from '@solar/common';
import { GraphQLError } from './graphql-lib.js';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from './context.js';

/**
 * Request errors are the client's fault and answer 4xx whatever the Accept header: syntax errors, schema
 * validation (unknown field, missing required argument, armor limits) and variable coercion (a required
 * input field missing). Yoga would answer 200 for these to clients that accept only application/json
 * (the GraphQL-over-HTTP `spec` flag); our clients get a status they can act on.
 */
export function useRequestErrorStatus(): Plugin<GraphQLContext> {
  return {
    onResultProcess({ result }) {
      if (Array.isArray(result) || Symbol.asyncIterator in result || !result.errors?.length) return;
      // no `data` at all means the operation never started
      const requestError = result.data === undefined;
      for (const error of result.errors) {
        const extensions = error.extensions as Record<string, unknown>;
        const http = extensions['http'] as { status?: number; spec?: boolean } | undefined;
        if (http?.spec) extensions['http'] = { ...http, spec: false };
        else if (!http && requestError && !extensions['unexpected']) {
          extensions['code'] ??= 'BAD_USER_INPUT';
          extensions['http'] = { status: 400 };
        }
      }
    },
  };
}

/** Logs resolver failures that are bugs (not typed errors) with the request's logger before they are masked. */
export function useLogUnexpectedErrors(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in result || !result.errors) return;
          for (const error of result.errors) {
            const original = error.originalError;
            if (!original || original instanceof AppError || original instanceof GraphQLError) continue;
            args.contextValue.requestContext.log.error(
              { err: original, path: error.path?.join('.') },
              'resolver failed',
            );
          }
        },
      };
    },
  };
}
