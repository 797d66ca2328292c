import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { fieldErrorsFromRest, type FieldMessages } from '$lib/graphql/field-errors';
import { safeNext } from '$lib/safe-next';
import { callPlatformApi, jsonBody, PlatformUnreachable } from '$lib/server/platform-api';
import { requireTenant } from '$lib/server/require-tenant';
import { getSession } from '$lib/server/session';
import { readSetCookie, SESSION_COOKIE, sessionCookieOptions } from '$lib/server/session-cookie';
import { failFromUpstream, upstreamCode } from '$lib/server/upstream-errors';
import type { Actions, PageServerLoad } from './$types';

const signInForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter your email address')
    .max(254)
    .pipe(z.email('Enter a valid email address')),
  password: z.string().min(1, 'Enter your password').max(1024, 'That password is too long'),
});

/** What the form shows again after a failed attempt (never the password). */
export interface SignInFailure {
  email: string;
  fields: FieldMessages;
  message: string | null;
}

export const load: PageServerLoad = async (event) => {
  const workspace = requireTenant(event.locals);
  const next = event.url.searchParams.get('next');
  // An unknown workspace shows its error page here, before anyone types a password; signed in: straight on.
  if (await getSession(event, { verifyWorkspace: true })) redirect(303, safeNext(next));
  return { workspace, next: next ?? '' };
};

export const actions: Actions = {
  default: async (event) => {
    requireTenant(event.locals);
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const next = safeNext(String(form.get('next') ?? ''));
    const failure = (status: number, fields: FieldMessages, message: string | null) =>
      fail(status, { email, fields, message } satisfies SignInFailure);

    const parsed = signInForm.safeParse({ email, password: String(form.get('password') ?? '') });
    if (!parsed.success) {
      const fields: FieldMessages = {};
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
      return failure(400, fields, null);
    }

    let response: Response;
    try {
      response = await callPlatformApi(event, '/auth/sign-in', { json: parsed.data });
    } catch (err) {
      if (!(err instanceof PlatformUnreachable)) throw err;
      return failure(503, {}, "We can't reach Solar right now. Try again in a moment.");
    }
    const body = await jsonBody(response);

    if (response.ok) {
      const cookie = readSetCookie(response.headers.getSetCookie(), SESSION_COOKIE);
      if (!cookie?.value) {
        event.locals.log.error({ status: response.status }, 'sign-in answered without a session cookie');
        return failure(502, {}, 'Sign-in is unavailable right now. Try again in a moment.');
      }
      event.cookies.set(SESSION_COOKIE, cookie.value, sessionCookieOptions(event.url, cookie.maxAge));
      event.locals.log.info({ event: 'sign_in' }, 'signed in');
      redirect(303, next);
    }

    const code = upstreamCode(body);
    if (code === 'TENANT_NOT_FOUND' || code === 'TENANT_PROVISIONING')
      failFromUpstream(response.status, body);
    if (response.status === 429) return failure(429, {}, 'Too many attempts. Wait a minute, then try again.');
    if (response.status >= 500)
      return failure(503, {}, 'Sign-in is unavailable right now. Try again in a moment.');
    const errors = fieldErrorsFromRest(body, ['email', 'password']);
    return failure(response.status === 401 ? 401 : 400, errors.fields, errors.form);
  },
};
