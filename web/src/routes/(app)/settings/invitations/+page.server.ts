import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES_QUERY } from '$lib/access/access-documents';
import { authApi, formErrors, readAnswer } from '$lib/auth/auth-api.server';
import { createdInvitationSchema, invitationListSchema } from '$lib/auth/auth-schemas';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { rolesDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { failFromUpstream } from '$lib/server/upstream-errors';
import { requireManager } from '../require-manager';
import type { Actions, PageServerLoad } from './$types';

export interface InvitationAnswer {
  action: 'invite' | 'revoke';
  /** after inviting: where the invitation went, and the link when no email could be sent (shown once) */
  invited?: { email: string; emailSent: boolean; link: string | null };
  done?: string;
  fields: FieldMessages;
  message: string | null;
  values?: { email: string; role: string };
}

/** Invite people by email with a role; see who has not accepted yet, and withdraw an invitation. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const [answer, { roles }] = await Promise.all([
    authApi(event, '/auth/invitations'),
    serverGraphql(event, ROLES_QUERY, {}, rolesDataSchema),
  ]);
  if (!answer.ok) failFromUpstream(answer.status, answer.body);
  const invitations = readAnswer(event, answer, invitationListSchema, 'invitation list')?.invitations ?? [];
  return { invitations, roles: roles.map((r) => ({ value: r.id, label: r.name })) };
};

const inviteForm = z.object({
  email: z
    .string()
    .trim()
    .min(1, 'Enter the email address to invite')
    .max(254)
    .pipe(z.email('Enter a valid email address')),
  role: z.string().trim().min(1, 'Choose a role'),
});

export const actions: Actions = {
  invite: async (event) => {
    const form = await event.request.formData();
    const values = { email: String(form.get('email') ?? '').trim(), role: String(form.get('role') ?? '') };
    const parsed = inviteForm.safeParse(values);
    if (!parsed.success) {
      const fields: FieldMessages = {};
      for (const issue of parsed.error.issues) fields[String(issue.path[0])] ??= issue.message;
      return fail(400, { action: 'invite', fields, message: null, values } satisfies InvitationAnswer);
    }
    const answer = await authApi(event, '/auth/invitations', { json: parsed.data });
    if (!answer.ok) {
      const errors = formErrors(answer, ['email', 'role']);
      return fail(answer.status >= 500 ? 503 : answer.status === 409 ? 409 : 400, {
        action: 'invite',
        fields: errors.fields,
        message: errors.form,
        values,
      } satisfies InvitationAnswer);
    }
    const created = readAnswer(event, answer, createdInvitationSchema, 'invitation');
    return {
      action: 'invite',
      invited: {
        email: parsed.data.email,
        emailSent: created?.emailSent ?? false,
        link: created?.link ?? null,
      },
      fields: {},
      message: null,
    } satisfies InvitationAnswer;
  },

  revoke: async (event) => {
    const form = await event.request.formData();
    const id = z.uuid().safeParse(form.get('id'));
    if (!id.success)
      return fail(400, {
        action: 'revoke',
        fields: {},
        message: 'Choose an invitation to withdraw.',
      } satisfies InvitationAnswer);
    const answer = await authApi(event, `/auth/invitations/${id.data}`, { method: 'DELETE' });
    if (answer.status === 404)
      return fail(404, {
        action: 'revoke',
        fields: {},
        message: 'That invitation is no longer pending.',
      } satisfies InvitationAnswer);
    if (!answer.ok)
      return fail(answer.status >= 500 ? 503 : 400, {
        action: 'revoke',
        fields: {},
        message: formErrors(answer).form,
      } satisfies InvitationAnswer);
    return {
      action: 'revoke',
      done: 'Invitation withdrawn: its link no longer works.',
      fields: {},
      message: null,
    } satisfies InvitationAnswer;
  },
};
