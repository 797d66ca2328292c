import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { adoptSessionCookie, authApi, formErrors, type AuthAnswer } from '$lib/auth/auth-api.server';
import { mfaChallengeSchema } from '$lib/auth/auth-schemas';
import { TWO_FACTOR_SETUP_PATH } from '$lib/auth/enrolment-gate.server';
import { readSecondFactor } from '$lib/auth/one-time-code';
import { ssoErrorMessage } from '$lib/auth/sso-errors';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { safeNext } from '$lib/safe-next';
import { requireTenant } from '$lib/server/require-tenant';
import { getSession } from '$lib/server/session';
import { failFromUpstream } from '$lib/server/upstream-errors';
import type { RequestEvent } from '@sveltejs/kit';
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

/**
 * What the page shows after a POST: the password step again (with a message), or the second step with its
 * challenge (kept in a hidden field, so the steps work without JavaScript). Never the password or a code.
 */
export interface SignInState {
  step: 'password' | 'mfa';
  email: string;
  /** the opaque, single-use MFA challenge from the password step */
  challenge?: string;
  /** which second factor the person is typing */
  kind?: 'totp' | 'recovery';
  fields: FieldMessages;
  message: string | null;
}

export const load: PageServerLoad = async (event) => {
  const workspace = requireTenant(event.locals);
  const next = event.url.searchParams.get('next');
  // An unknown workspace shows its error page here, before anyone types a password; signed in: straight on.
  const session = await getSession(event, { verifyWorkspace: true });
  if (session?.mfaEnrollmentRequired) redirect(303, setupUrl(safeNext(next)));
  if (session) redirect(303, safeNext(next));
  return {
    workspace,
    next: next ?? '',
    ssoError: ssoErrorMessage(event.url.searchParams.get('error')),
    ssoStart: `/auth/sso/start?next=${encodeURIComponent(safeNext(next))}`,
  };
};

function setupUrl(next: string): string {
  return next === '/leads'
    ? TWO_FACTOR_SETUP_PATH
    : `${TWO_FACTOR_SETUP_PATH}?next=${encodeURIComponent(next)}`;
}

/** A signed-in answer: the session cookie onto this origin, then on to `next` (or to MFA setup first). */
function finishSignIn(event: RequestEvent, answer: AuthAnswer, next: string, state: SignInState) {
  if (!adoptSessionCookie(event, answer)) {
    event.locals.log.error({ status: answer.status }, 'sign-in answered without a session cookie');
    return fail(502, { ...state, message: 'Sign-in is unavailable right now. Try again in a moment.' });
  }
  event.locals.log.info({ event: 'sign_in' }, 'signed in');
  const enrol = (answer.body as { mfaEnrollmentRequired?: unknown } | null)?.mfaEnrollmentRequired === true;
  redirect(303, enrol ? setupUrl(next) : next);
}

export const actions: Actions = {
  password: async (event) => {
    requireTenant(event.locals);
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const next = safeNext(String(form.get('next') ?? ''));
    const state = (fields: FieldMessages = {}, message: string | null = null): SignInState => ({
      step: 'password',
      email,
      fields,
      message,
    });

    const parsed = signInForm.safeParse({ email, password: String(form.get('password') ?? '') });
    if (!parsed.success) {
      const fields: FieldMessages = {};
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
      return fail(400, state(fields));
    }

    const answer = await authApi(event, '/auth/sign-in', { json: parsed.data });
    if (answer.ok) {
      const challenge = mfaChallengeSchema.safeParse(answer.body);
      if (challenge.success) {
        return {
          step: 'mfa',
          email,
          challenge: challenge.data.challenge,
          kind: 'totp',
          fields: {},
          message: null,
        } satisfies SignInState;
      }
      return finishSignIn(event, answer, next, state());
    }
    if (answer.code === 'TENANT_NOT_FOUND' || answer.code === 'TENANT_PROVISIONING')
      failFromUpstream(answer.status, answer.body);
    const errors = formErrors(answer, ['email', 'password']);
    return fail(
      answer.status === 401 ? 401 : answer.status >= 500 ? 503 : 400,
      state(errors.fields, errors.form),
    );
  },

  /** The second step: a code from the authenticator app, or one recovery code. */
  mfa: async (event) => {
    requireTenant(event.locals);
    const form = await event.request.formData();
    const email = String(form.get('email') ?? '').trim();
    const next = safeNext(String(form.get('next') ?? ''));
    const challenge = String(form.get('challenge') ?? '');
    const switchTo = form.get('switchTo');
    const kind = (switchTo ?? form.get('kind')) === 'recovery' ? 'recovery' : 'totp';
    const state = (fields: FieldMessages = {}, message: string | null = null): SignInState => ({
      step: 'mfa',
      email,
      challenge,
      kind,
      fields,
      message,
    });
    if (!challenge)
      return fail(400, {
        ...state(),
        step: 'password',
        message: 'Start again: enter your email and password.',
      } satisfies SignInState);
    // "Use a recovery code" without JavaScript: the same step, the other field.
    if (switchTo) return state();

    const typed = readSecondFactor(kind, String(form.get(kind === 'totp' ? 'code' : 'recoveryCode') ?? ''));
    if (!typed.ok) return fail(400, state({ [typed.field]: typed.message }));

    const answer = await authApi(event, '/auth/mfa/verify', { json: { challenge, ...typed.value } });
    if (answer.ok) {
      return finishSignIn(event, answer, next, state());
    }
    if (answer.code === 'INVALID_CHALLENGE') {
      return fail(401, {
        step: 'password',
        email,
        fields: {},
        message: 'That sign-in expired or was already used. Enter your password again.',
      } satisfies SignInState);
    }
    if (answer.code === 'INVALID_CODE') {
      const field = kind === 'totp' ? 'code' : 'recoveryCode';
      const message =
        kind === 'totp'
          ? "That code didn't work. Wait for the next one in your app and try again."
          : "That recovery code didn't work, or it was already used.";
      return fail(401, state({ [field]: message }));
    }
    const errors = formErrors(answer, ['code', 'recoveryCode']);
    return fail(
      answer.status >= 500 ? 503 : answer.status === 429 ? 429 : 400,
      state(errors.fields, errors.form),
    );
  },
};
