import { type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { callPlatformApi, jsonBody, PlatformUnreachable } from './platform-api.js';
import { SESSION_COOKIE, sessionCookieOptions } from './session-cookie.js';
import { failFromUpstream, failUnreachable } from './upstream-errors.js';

const userSchema = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullable() });
const tenantSchema = z.object({ id: z.string(), slug: z.string(), displayName: z.string() });

/** GET /auth/session and POST /auth/sign-in answer with this. */
export const sessionSchema = z.object({
  user: userSchema,
  tenant: tenantSchema,
  expiresAt: z.string(),
  /** the workspace requires MFA and this user has none yet: only enrolment (and sign-out) is allowed */
  mfaEnrollmentRequired: z.boolean().optional(),
  /** whether the user has TOTP on, when platform-api says so */
  mfaEnabled: z.boolean().optional(),
});
export type Session = z.output<typeof sessionSchema>;

/**
 * The signed-in session of this request, or null (no cookie, or platform-api no longer knows it). Asked at most
 * once per request; `verifyWorkspace` asks even without a cookie. An unknown workspace or an unreachable API becomes an error page.
 */
export function getSession(
  event: RequestEvent,
  o: { verifyWorkspace?: boolean } = {},
): Promise<Session | null> {
  event.locals.session ??= fetchSession(event, o.verifyWorkspace ?? false);
  return event.locals.session;
}

async function fetchSession(event: RequestEvent, verifyWorkspace: boolean): Promise<Session | null> {
  // Signed out, nothing to ask, unless the page wants to know the workspace exists (platform-api answers
  // 404 for an unknown one before it looks for a session).
  if (!event.locals.sessionToken && !verifyWorkspace) return null;
  let response: Response;
  try {
    response = await callPlatformApi(event, '/auth/session');
  } catch (err) {
    if (err instanceof PlatformUnreachable) failUnreachable();
    throw err;
  }
  const body = await jsonBody(response);
  if (response.status === 401) return null;
  if (!response.ok) failFromUpstream(response.status, body);
  const parsed = sessionSchema.safeParse(body);
  if (!parsed.success) {
    event.locals.log.error({ issues: parsed.error.issues.length }, 'unexpected /auth/session answer');
    failFromUpstream(502, null);
  }
  return parsed.data;
}

/** Drops the session cookie with the flags it was set with (a Secure deletion would be ignored over http). */
export function forgetSession(event: RequestEvent): void {
  event.cookies.delete(SESSION_COOKIE, sessionCookieOptions(event.url));
}
