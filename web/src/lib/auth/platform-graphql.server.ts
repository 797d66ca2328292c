import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldErrorsFromGraphql, type FormErrors, type GraphqlErrorLike } from '$lib/graphql/field-errors';
import { authApi } from './auth-api.server';

/** platform-api's own GraphQL: workspace settings that live in the platform, not the tenant's runtime. */
const PLATFORM_GRAPHQL = '/platform/graphql';

export type PlatformResult<T> =
  { ok: true; data: T } | { ok: false; status: number; code: string | null; errors: FormErrors };

/**
 * One platform GraphQL operation as the signed-in member (their session cookie goes along). Failures come
 * back as form messages with the first error's code (FORBIDDEN when the caller may not change settings).
 */
export async function platformGraphql<S extends z.ZodType>(
  event: RequestEvent,
  query: string,
  variables: Record<string, unknown>,
  schema: S,
  /** the fields the form shows: their messages go beside them, the rest above the form */
  known?: readonly string[],
): Promise<PlatformResult<z.output<S>>> {
  const answer = await authApi(event, PLATFORM_GRAPHQL, {
    json: { query, variables },
    accept: 'application/graphql-response+json, application/json',
  });
  const body = answer.body as { data?: unknown; errors?: GraphqlErrorLike[] } | null;
  const errors = body?.errors ?? [];
  if (answer.response === null || answer.status === 404 || (!errors.length && body?.data == null)) {
    const message =
      answer.status === 404
        ? 'Workspace settings are not available on this installation.'
        : "We can't reach Solar right now. Try again in a moment.";
    return { ok: false, status: answer.status, code: 'UNAVAILABLE', errors: { fields: {}, form: message } };
  }
  if (errors.length) {
    const code = errors[0]?.extensions?.['code'];
    return {
      ok: false,
      status: answer.status,
      code: typeof code === 'string' ? code : null,
      errors: fieldErrorsFromGraphql(errors.map(withListFieldsFolded), known ? { known } : {}),
    };
  }
  const parsed = schema.safeParse(body?.data);
  if (!parsed.success) {
    event.locals.log.error({ issues: parsed.error.issues.slice(0, 3) }, 'unexpected platform graphql answer');
    return {
      ok: false,
      status: 502,
      code: 'BAD_ANSWER',
      errors: { fields: {}, form: 'Something went wrong. Please try again.' },
    };
  }
  return { ok: true, data: parsed.data };
}

/** `allowedEmailDomains.1` → `allowedEmailDomains`: a message about one entry of a list belongs to its field. */
function withListFieldsFolded(error: GraphqlErrorLike): GraphqlErrorLike {
  const fields = error.extensions?.['fields'];
  if (!fields || typeof fields !== 'object') return error;
  const folded: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(fields as Record<string, string[]>)) {
    const key = path.replace(/(\.\d+)+$/, '');
    (folded[key] ??= []).push(...messages);
  }
  return { ...error, extensions: { ...error.extensions, fields: folded } };
}
