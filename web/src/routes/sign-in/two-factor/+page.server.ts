import { fail, redirect } from '@sveltejs/kit';
import { authApi, formErrors, readAnswer } from '$lib/auth/auth-api.server';
import { activationSchema, enrolmentSchema, type Enrolment } from '$lib/auth/auth-schemas';
import { readSecondFactor } from '$lib/auth/one-time-code';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { safeNext, signInUrl } from '$lib/safe-next';
import { requireTenant } from '$lib/server/require-tenant';
import { getSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

/** What the page shows after confirming: the recovery codes once, or the same QR code with a message. */
export interface SetupState {
  enrolment?: Enrolment;
  recoveryCodes?: string[];
  fields: FieldMessages;
  message: string | null;
}

/**
 * Setting up TOTP: a fresh secret (as a QR code and as text) each time the page is opened — enrolling again
 * before confirming replaces the pending one — then a code from the app confirms it.
 */
export const load: PageServerLoad = async (event) => {
  requireTenant(event.locals);
  const session = await getSession(event);
  if (!session) redirect(303, signInUrl(event.url));
  const next = safeNext(
    event.url.searchParams.get('next'),
    session.mfaEnrollmentRequired ? '/leads' : '/account',
  );
  const base = {
    workspace: session.tenant.displayName,
    slug: session.tenant.slug,
    next,
    required: session.mfaEnrollmentRequired === true,
    email: session.user.email,
  };
  // A POST (confirming) renders from its own answer: a new secret now would orphan the one being confirmed.
  if (event.request.method !== 'GET') return { ...base, enrolment: null, alreadyOn: false, error: null };

  const answer = await authApi(event, '/auth/mfa/enroll', { json: {} });
  if (answer.status === 409) return { ...base, enrolment: null, alreadyOn: true, error: null };
  const enrolment = answer.ok ? readAnswer(event, answer, enrolmentSchema, 'MFA enrolment') : null;
  return {
    ...base,
    enrolment,
    alreadyOn: false,
    error: enrolment
      ? null
      : (formErrors(answer).form ?? 'We could not start the setup. Reload to try again.'),
  };
};

export const actions: Actions = {
  default: async (event) => {
    requireTenant(event.locals);
    const form = await event.request.formData();
    // Echoed back on a wrong code so the same QR stays on screen (it is this person's own pending secret).
    const echoed = enrolmentSchema.safeParse({
      secret: form.get('secret'),
      otpauthUrl: form.get('otpauthUrl'),
      qrCodeDataUrl: String(form.get('qrCodeDataUrl') ?? ''),
    });
    const enrolment =
      echoed.success && echoed.data.qrCodeDataUrl.startsWith('data:image/svg+xml;base64,')
        ? echoed.data
        : undefined;
    const failure = (status: number, fields: FieldMessages, message: string | null) =>
      fail(status, { enrolment, fields, message } satisfies SetupState);

    const typed = readSecondFactor('totp', String(form.get('code') ?? ''));
    if (!typed.ok) return failure(400, { code: typed.message }, null);
    const answer = await authApi(event, '/auth/mfa/activate', { json: typed.value });
    // the session ended meanwhile: sign in again (and come back here)
    if (answer.status === 401 && answer.code !== 'INVALID_CODE') redirect(303, signInUrl(event.url));
    if (answer.code === 'INVALID_CODE')
      return failure(
        400,
        { code: "That code didn't match. Check the time on your phone and try the next code." },
        null,
      );
    if (answer.status === 409)
      return failure(409, {}, 'Two-factor authentication is already on for your account.');
    if (!answer.ok) {
      const errors = formErrors(answer, ['code']);
      return failure(answer.status >= 500 ? 503 : 400, errors.fields, errors.form);
    }
    const activated = readAnswer(event, answer, activationSchema, 'MFA activation');
    if (!activated)
      return failure(
        502,
        {},
        'Two-factor authentication may be on, but we could not show your recovery codes.',
      );
    event.locals.log.info({ event: 'mfa_enrolled' }, 'two-factor authentication turned on');
    return { recoveryCodes: activated.recoveryCodes, fields: {}, message: null } satisfies SetupState;
  },
};
