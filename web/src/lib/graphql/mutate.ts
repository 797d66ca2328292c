import type { Client } from '@urql/svelte';
import { fieldErrorsFromGraphql, type FormErrors } from './field-errors.js';

export type MutationResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: FormErrors; /** the first error's code, e.g. OUT_OF_SCOPE */ code: string | null };

/**
 * Runs one mutation from the browser and answers either its data or messages ready for a form (field
 * messages for `prefix.field` validation errors, the rest above the form). A network failure says so.
 */
export async function mutate<T>(
  client: Client,
  document: string,
  variables: Record<string, unknown>,
  options: { prefix?: string; known?: readonly string[] } = {},
): Promise<MutationResult<T>> {
  const result = await client.mutation<T>(document, variables).toPromise();
  if (result.data && !result.error) return { ok: true, data: result.data };
  const graphQLErrors = result.error?.graphQLErrors ?? [];
  if (graphQLErrors.length === 0) {
    return {
      ok: false,
      code: 'NETWORK',
      errors: { fields: {}, form: "We couldn't reach Solar. Check your connection and try again." },
    };
  }
  const code = graphQLErrors[0]?.extensions?.['code'];
  return {
    ok: false,
    code: typeof code === 'string' ? code : null,
    errors: fieldErrorsFromGraphql(graphQLErrors, options),
  };
}
