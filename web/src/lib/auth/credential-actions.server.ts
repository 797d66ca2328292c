import { fail, type Action, type RequestEvent } from '@sveltejs/kit';
import { z } from 'zod';
import { failFromUpstream } from '$lib/server/upstream-errors';
import { authApi, formErrors, readAnswer } from './auth-api.server';
import {
  apiKeyListSchema,
  createdApiKeySchema,
  createdOAuthClientSchema,
  oauthClientListSchema,
} from './auth-schemas';
import { readCredentialForm, type CredentialAnswer, type CredentialRow } from './credentials';

interface Kind {
  path: string;
  noun: string;
  list: (event: RequestEvent) => Promise<CredentialRow[]>;
  created: (body: unknown) => { name: string; secret: string; clientId?: string } | null;
}

export const API_KEYS: Kind = {
  path: '/auth/api-keys',
  noun: 'API key',
  list: async (event) => {
    // Administrators see everyone's keys; should that be refused, still their own.
    let answer = await authApi(event, '/auth/api-keys', { search: '?all=true' });
    if (answer.status === 403 || answer.status === 400) answer = await authApi(event, '/auth/api-keys');
    if (!answer.ok) failFromUpstream(answer.status, answer.body);
    const list = readAnswer(event, answer, apiKeyListSchema, 'API key list');
    return (list?.apiKeys ?? []).map((k) => ({ ...k, handle: k.prefix }));
  },
  created: (body) => {
    const parsed = createdApiKeySchema.safeParse(body);
    return parsed.success ? { name: parsed.data.name, secret: parsed.data.key } : null;
  },
};

export const OAUTH_CLIENTS: Kind = {
  path: '/auth/oauth-clients',
  noun: 'OAuth client',
  list: async (event) => {
    const answer = await authApi(event, '/auth/oauth-clients');
    if (!answer.ok) failFromUpstream(answer.status, answer.body);
    const list = readAnswer(event, answer, oauthClientListSchema, 'OAuth client list');
    return (list?.oauthClients ?? []).map((c) => ({ ...c, handle: c.clientId }));
  },
  created: (body) => {
    const parsed = createdOAuthClientSchema.safeParse(body);
    return parsed.success
      ? { name: parsed.data.name, secret: parsed.data.clientSecret, clientId: parsed.data.clientId }
      : null;
  },
};

const credentialId = z.uuid();

/** Create (secret answered once) and revoke, as form actions that work without JavaScript. */
export function credentialActions(kind: Kind): { create: Action; revoke: Action } {
  return {
    create: async (event) => {
      const read = readCredentialForm(await event.request.formData());
      if (!read.ok)
        return fail(400, {
          action: 'create',
          fields: read.fields,
          message: null,
          values: read.values,
        } satisfies CredentialAnswer);
      const answer = await authApi(event, kind.path, { json: read.input });
      const values = { name: read.input.name, scopes: read.input.scopes, otherScopes: '', expiry: '90' };
      if (!answer.ok) {
        const errors = formErrors(answer, ['name', 'scopes', 'expiresAt']);
        const fields = { ...errors.fields };
        if (fields['expiresAt']) fields['expiry'] = fields['expiresAt'];
        return fail(answer.status >= 500 ? 503 : answer.status === 403 ? 403 : 400, {
          action: 'create',
          fields,
          message: errors.form,
          values,
        } satisfies CredentialAnswer);
      }
      const created = kind.created(answer.body);
      if (!created) {
        event.locals.log.error({ status: answer.status }, `unexpected ${kind.noun} creation answer`);
        return fail(502, {
          action: 'create',
          fields: {},
          message: `The ${kind.noun} was created, but we could not show it. Revoke it and create another.`,
        } satisfies CredentialAnswer);
      }
      event.locals.log.info({ event: 'credential_created', kind: kind.noun }, 'credential created');
      return { action: 'create', created, fields: {}, message: null } satisfies CredentialAnswer;
    },
    revoke: async (event) => {
      const form = await event.request.formData();
      const id = credentialId.safeParse(form.get('id'));
      if (!id.success)
        return fail(400, {
          action: 'revoke',
          fields: {},
          message: `Choose the ${kind.noun} to revoke.`,
        } satisfies CredentialAnswer);
      const answer = await authApi(event, `${kind.path}/${id.data}`, { method: 'DELETE' });
      if (answer.status === 404)
        return fail(404, {
          action: 'revoke',
          fields: {},
          message: `That ${kind.noun} was already revoked.`,
        } satisfies CredentialAnswer);
      if (!answer.ok)
        return fail(answer.status >= 500 ? 503 : 400, {
          action: 'revoke',
          fields: {},
          message: formErrors(answer).form,
        } satisfies CredentialAnswer);
      return {
        action: 'revoke',
        done: `${kind.noun} revoked: requests with it are refused from now on.`,
        fields: {},
        message: null,
      } satisfies CredentialAnswer;
    },
  };
}
