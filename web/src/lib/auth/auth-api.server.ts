import type { RequestEvent } from '@sveltejs/kit';
import type { z } from 'zod';
import { fieldErrorsFromRest, type FormErrors } from '$lib/graphql/field-errors';
import {
  callPlatformApi,
  jsonBody,
  PlatformUnreachable,
  type PlatformRequest,
} from '$lib/server/platform-api';
import { forgetSession } from '$lib/server/session';
import { readSetCookie, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session-cookie';
import { upstreamCode } from '$lib/server/upstream-errors';

/** One answer of platform-api's identity routes, already read. */
export interface AuthAnswer {
  status: number;
  ok: boolean;
  body: unknown;
  /** `error.code` of a failure, e.g. INVALID_CODE */
  code: string | undefined;
  response: Response | null;
}

const UNREACHABLE: AuthAnswer = {
  status: 503,
  ok: false,
  body: { error: { code: 'UNAVAILABLE', message: "We can't reach Solar right now. Try again in a moment." } },
  code: 'UNAVAILABLE',
  response: null,
};

/**
 * Calls one of platform-api's `/auth/*` routes for a form action or load: "unreachable" becomes a 503 answer
 * with a message a person can act on, instead of an exception, so every form can show it inline.
 */
export async function authApi(
  event: RequestEvent,
  path: string,
  init: PlatformRequest = {},
): Promise<AuthAnswer> {
  let response: Response;
  try {
    response = await callPlatformApi(event, path, init);
  } catch (err) {
    if (err instanceof PlatformUnreachable) return UNREACHABLE;
    throw err;
  }
  const body = await jsonBody(response);
  return { status: response.status, ok: response.ok, body, code: upstreamCode(body), response };
}

/** The answer's body checked against `schema`, or null (logged) when platform-api said something else. */
export function readAnswer<S extends z.ZodType>(
  event: RequestEvent,
  answer: AuthAnswer,
  schema: S,
  what: string,
): z.output<S> | null {
  const parsed = schema.safeParse(answer.body);
  if (!parsed.success) {
    event.locals.log.error(
      { status: answer.status, issues: parsed.error.issues.length },
      `unexpected ${what} answer`,
    );
    return null;
  }
  return parsed.data;
}

/**
 * Takes the session cookie platform-api set (sign-in, MFA step, accepting an invitation) or cleared
 * (signing out everywhere, revoking this session) onto the web origin, with our own flags.
 * Returns whether a live session was set.
 */
export function adoptSessionCookie(event: RequestEvent, answer: AuthAnswer): boolean {
  const cookie = answer.response
    ? readSetCookie(answer.response.headers.getSetCookie(), SESSION_COOKIE)
    : null;
  if (!cookie) return false;
  if (!cookie.value) {
    forgetSession(event);
    return false;
  }
  event.cookies.set(SESSION_COOKIE, cookie.value, sessionCookieOptions(event.url, cookie.maxAge));
  return true;
}

/** Messages for a form after a failed call: field messages for `known` fields, the rest above the form. */
export function formErrors(answer: AuthAnswer, known: readonly string[] = []): FormErrors {
  if (answer.response === null) return fieldErrorsFromRest(answer.body);
  if (answer.status === 429) return { fields: {}, form: 'Too many attempts. Wait a minute, then try again.' };
  if (answer.status >= 500)
    return { fields: {}, form: "That didn't work on our side. Try again in a moment." };
  if (answer.status === 403 && answer.code === 'FORBIDDEN' && !hasMessage(answer.body))
    return { fields: {}, form: "You don't have permission to do that." };
  return fieldErrorsFromRest(answer.body, known);
}

function hasMessage(body: unknown): boolean {
  return typeof (body as { error?: { message?: unknown } } | null)?.error?.message === 'string';
}
