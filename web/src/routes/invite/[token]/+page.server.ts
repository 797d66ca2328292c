import { error, fail, redirect } from '@sveltejs/kit';
import { adoptSessionCookie, authApi, formErrors, readAnswer } from '$lib/auth/auth-api.server';
import { invitationDetailsSchema } from '$lib/auth/auth-schemas';
import { TWO_FACTOR_SETUP_PATH } from '$lib/auth/enrolment-gate.server';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { requireTenant } from '$lib/server/require-tenant';
import { failFromUpstream } from '$lib/server/upstream-errors';
import type { Actions, PageServerLoad } from './$types';

/** Invitation links carry an opaque token; anything else is not worth asking platform-api about. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export interface AcceptAnswer {
  displayName: string;
  fields: FieldMessages;
  message: string | null;
}

/**
 * The invited person's page: who invited them to which workspace, then their name and password (the
 * password rules shown up front), and they are signed in. A used, withdrawn or expired link says so.
 */
export const load: PageServerLoad = async (event) => {
  requireTenant(event.locals);
  const token = event.params.token;
  if (!TOKEN.test(token))
    error(404, { code: 'NO_INVITATION', message: 'This invitation link is not valid.' });
  const answer = await authApi(event, `/auth/invitations/${token}`);
  if (answer.status === 404)
    error(404, {
      code: 'NO_INVITATION',
      message: 'This invitation link is not valid. Check that you copied all of it.',
    });
  if (answer.status === 410)
    return {
      invitation: null,
      gone: 'This invitation has already been used, was withdrawn, or has expired. Ask for a new one.',
    };
  if (!answer.ok) failFromUpstream(answer.status, answer.body);
  const invitation = readAnswer(event, answer, invitationDetailsSchema, 'invitation');
  if (!invitation) failFromUpstream(502, null);
  return { invitation, gone: null };
};

export const actions: Actions = {
  default: async (event) => {
    requireTenant(event.locals);
    const token = event.params.token;
    const form = await event.request.formData();
    const displayName = String(form.get('displayName') ?? '').trim();
    const password = String(form.get('password') ?? '');
    const failure = (status: number, fields: FieldMessages, message: string | null) =>
      fail(status, { displayName, fields, message } satisfies AcceptAnswer);
    const fields: FieldMessages = {};
    if (!displayName) fields['displayName'] = 'Enter your name as colleagues should see it';
    if (!password) fields['password'] = 'Choose a password';
    if (Object.keys(fields).length) return failure(400, fields, null);
    if (!TOKEN.test(token)) return failure(404, {}, 'This invitation link is not valid.');

    const answer = await authApi(event, `/auth/invitations/${token}/accept`, {
      json: { displayName, password },
    });
    if (answer.ok) {
      if (!adoptSessionCookie(event, answer))
        return failure(
          502,
          {},
          'Your account was created, but signing you in failed. Sign in with your new password.',
        );
      event.locals.log.info({ event: 'invitation_accepted' }, 'invitation accepted');
      const enrol =
        (answer.body as { mfaEnrollmentRequired?: unknown } | null)?.mfaEnrollmentRequired === true;
      redirect(303, enrol ? `${TWO_FACTOR_SETUP_PATH}?next=/` : '/');
    }
    if (answer.status === 410)
      return failure(
        410,
        {},
        'This invitation has already been used, was withdrawn, or has expired. Ask for a new one.',
      );
    if (answer.status === 409)
      return failure(409, {}, 'You are already a member of this workspace. Sign in instead.');
    const errors = formErrors(answer, ['displayName', 'password']);
    // the policy's messages are fragments ("is a commonly used …"): make each a sentence about the password
    const passwordMessage = errors.fields['password'];
    if (passwordMessage && /^[a-z]/.test(passwordMessage))
      errors.fields['password'] = `This password ${passwordMessage}`;
    return failure(answer.status >= 500 ? 503 : 400, errors.fields, errors.form);
  },
};
