import { redirect, type RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { signInUrl } from '../safe-next.js';
import { callPlatformApi, jsonBody, PlatformUnreachable } from './platform-api.js';
import { forgetSession } from './session.js';
import { failFromUpstream, failUnreachable } from './upstream-errors.js';

interface GraphqlBody {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/**
 * Runs one GraphQL operation for a load function, as the signed-in user. A missing or expired session sends
 * the user to sign in and back; a failure becomes an error page; `data` is checked against `schema`.
 */
export async function serverGraphql<S extends z.ZodType>(
  event: RequestEvent,
  query: string,
  variables: Record<string, unknown>,
  schema: S,
): Promise<z.output<S>> {
  if (!event.locals.sessionToken) redirect(303, signInUrl(event.url));
  let response: Response;
  try {
    response = await callPlatformApi(event, '/graphql', {
      json: { query, variables },
      accept: 'application/graphql-response+json, application/json',
    });
  } catch (err) {
    if (err instanceof PlatformUnreachable) failUnreachable();
    throw err;
  }
  const body = (await jsonBody(response)) as GraphqlBody | null;
  const unauthenticated =
    response.status === 401 || body?.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  if (unauthenticated) {
    // The session ended (expired or revoked elsewhere): forget it and come back here after signing in.
    forgetSession(event);
    redirect(303, signInUrl(event.url));
  }
  if (!response.ok || body?.errors?.length || body?.data == null) {
    event.locals.log.warn(
      { status: response.status, codes: body?.errors?.map((e) => e.extensions?.code) },
      'graphql call failed',
    );
    failFromUpstream(response.ok ? 502 : response.status, body);
  }
  const parsed = schema.safeParse(body.data);
  if (!parsed.success) {
    event.locals.log.error({ issues: parsed.error.issues.slice(0, 3) }, 'unexpected graphql answer');
    failFromUpstream(502, null);
  }
  return parsed.data;
}
