import { fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { adoptSessionCookie, authApi, formErrors, readAnswer } from '$lib/auth/auth-api.server';
import { securityEventsSchema, sessionsSchema } from '$lib/auth/auth-schemas';
import { mfaStatusFromEvents } from '$lib/auth/mfa-status';
import { readSecondFactor } from '$lib/auth/one-time-code';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { signInUrl } from '$lib/safe-next';
import { forgetSession, getSession } from '$lib/server/session';
import { failFromUpstream } from '$lib/server/upstream-errors';
import type { Actions, PageServerLoad } from './$types';

/**
 * My account: two-factor authentication on or off, and where I am signed in (revoke one, or all).
 * Every call is the person's own; platform-api answers only for them.
 */
export const load: PageServerLoad = async (event) => {
  const session = await getSession(event);
  if (!session) redirect(303, signInUrl(event.url));
  const [sessionsAnswer, eventsAnswer] = await Promise.all([
    authApi(event, '/auth/sessions'),
    session.mfaEnabled === undefined
      ? authApi(event, '/auth/security-events', { search: '?limit=200' })
      : null,
  ]);
  if (sessionsAnswer.status === 401) {
    forgetSession(event);
    redirect(303, signInUrl(event.url));
  }
  if (!sessionsAnswer.ok) failFromUpstream(sessionsAnswer.status, sessionsAnswer.body);
  const sessions = readAnswer(event, sessionsAnswer, sessionsSchema, 'sessions')?.sessions ?? [];
  const events = eventsAnswer?.ok
    ? readAnswer(event, eventsAnswer, securityEventsSchema, 'security events')
    : null;
  return {
    mfa:
      session.mfaEnabled ??
      (events ? mfaStatusFromEvents(events.events, events.nextBefore == null) : 'unknown'),
    mfaRequired: session.mfaEnrollmentRequired === true,
    sessions: sessions.sort(
      (a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt?.localeCompare(a.lastSeenAt ?? '') || 0,
    ),
  };
};

/** What an action answers: which form it was, what was done, or what to fix. */
export interface AccountAnswer {
  action: 'disableMfa' | 'revoke' | 'signOutEverywhere';
  done?: string;
  fields: FieldMessages;
  message: string | null;
}

const sessionId = z.string().trim().min(1).max(100);

export const actions: Actions = {
  /** Turning TOTP off needs a current code, so a borrowed, unlocked laptop is not enough. */
  disableMfa: async (event) => {
    const form = await event.request.formData();
    const typed = readSecondFactor('totp', String(form.get('code') ?? ''));
    if (!typed.ok) return fail(400, { action: 'disableMfa', fields: { code: typed.message }, message: null });
    const answer = await authApi(event, '/auth/mfa/disable', { json: typed.value });
    if (answer.ok)
      return { action: 'disableMfa', done: 'Two-factor authentication is off.', fields: {}, message: null };
    if (answer.code === 'INVALID_CODE')
      return fail(400, {
        action: 'disableMfa',
        fields: { code: "That code didn't work. Try the next one." },
        message: null,
      });
    if (answer.status === 403)
      return fail(403, {
        action: 'disableMfa',
        fields: {},
        message: 'Your organisation requires two-factor authentication, so it stays on.',
      });
    if (answer.status === 409)
      return fail(409, { action: 'disableMfa', fields: {}, message: 'Two-factor authentication is not on.' });
    if (answer.status === 401) redirect(303, signInUrl(event.url));
    const errors = formErrors(answer, ['code']);
    return fail(answer.status >= 500 ? 503 : 400, {
      action: 'disableMfa',
      fields: errors.fields,
      message: errors.form,
    });
  },

  /** Signs one device out; revoking this one signs me out here too. */
  revoke: async (event) => {
    const form = await event.request.formData();
    const id = sessionId.safeParse(form.get('id'));
    if (!id.success)
      return fail(400, { action: 'revoke', fields: {}, message: 'Choose a session to sign out.' });
    const answer = await authApi(event, `/auth/sessions/${encodeURIComponent(id.data)}`, {
      method: 'DELETE',
    });
    if (answer.status === 404)
      return fail(404, { action: 'revoke', fields: {}, message: 'That session has already ended.' });
    if (!answer.ok) {
      if (answer.status === 401) redirect(303, signInUrl(event.url));
      return fail(answer.status >= 500 ? 503 : 400, {
        action: 'revoke',
        fields: {},
        message: formErrors(answer).form,
      });
    }
    adoptSessionCookie(event, answer); // cleared when it was this one
    if (form.get('current') === 'true') redirect(303, '/sign-in');
    return { action: 'revoke', done: 'That device is signed out.', fields: {}, message: null };
  },

  /** Every session of mine ends, this one included. */
  signOutEverywhere: async (event) => {
    const answer = await authApi(event, '/auth/sign-out-everywhere', { method: 'POST' });
    if (!answer.ok && answer.status !== 401) {
      return fail(answer.status >= 500 ? 503 : 400, {
        action: 'signOutEverywhere',
        fields: {},
        message: formErrors(answer).form,
      });
    }
    forgetSession(event);
    redirect(303, '/sign-in');
  },
};
