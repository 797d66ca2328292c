import { fail } from '@sveltejs/kit';
import { z } from 'zod';
import { ROLES_QUERY } from '$lib/access/access-documents';
import { platformGraphql } from '$lib/auth/platform-graphql.server';
import type { FieldMessages } from '$lib/graphql/field-errors';
import { rolesDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { requireManager } from '../require-manager';
import type { Actions, PageServerLoad } from './$types';

const SETTINGS = /* GraphQL */ `
  query SecuritySettings {
    tenantSettings {
      mfaRequired
      sso {
        issuer
        clientId
        enabled
      }
    }
  }
`;
const SET_MFA_REQUIRED = /* GraphQL */ `
  mutation SetMfaRequired($required: Boolean!) {
    setMfaRequired(required: $required) {
      mfaRequired
    }
  }
`;

const SET_SSO = /* GraphQL */ `
  mutation SetSsoSettings($input: SsoSettingsInput!) {
    setSsoSettings(input: $input) {
      sso {
        issuer
        clientId
        enabled
      }
    }
  }
`;
const DISABLE_SSO = /* GraphQL */ `
  mutation DisableSso {
    disableSso {
      sso {
        enabled
      }
    }
  }
`;
const SSO_FIELDS = ['issuer', 'clientId', 'clientSecret', 'allowedEmailDomains', 'defaultRole'] as const;

const settingsSchema = z.object({
  tenantSettings: z.object({
    mfaRequired: z.boolean(),
    sso: z.object({ issuer: z.string(), clientId: z.string(), enabled: z.boolean() }).nullable(),
  }),
});

export interface SecurityAnswer {
  action: 'mfaPolicy' | 'sso' | 'disableSso';
  /** what was typed into the SSO form (never the secret), to show again after a refusal */
  values?: {
    issuer: string;
    clientId: string;
    allowedEmailDomains: string;
    defaultRole: string;
    enabled: boolean;
  };
  done?: string;
  fields: FieldMessages;
  message: string | null;
}

/**
 * The workspace's sign-in policy: require two-factor authentication for everyone, and single sign-on.
 * These live in platform-api (not the runtime); who may change them is its decision, so a refusal is shown
 * as read-only with its reason rather than hidden.
 */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const [result, { roles }] = await Promise.all([
    platformGraphql(event, SETTINGS, {}, settingsSchema),
    serverGraphql(event, ROLES_QUERY, {}, rolesDataSchema),
  ]);
  const roleOptions = roles.map((r) => ({ value: r.id, label: r.name }));
  if (!result.ok)
    return {
      settings: null,
      roles: roleOptions,
      readOnlyReason: result.errors.form ?? 'These settings are not available.',
    };
  return { settings: result.data.tenantSettings, roles: roleOptions, readOnlyReason: null };
};

const failStatus = (code: string | null, status: number) =>
  code === 'FORBIDDEN' ? 403 : code === 'VALIDATION_FAILED' ? 400 : status >= 500 ? 503 : 400;

export const actions: Actions = {
  mfaPolicy: async (event) => {
    const form = await event.request.formData();
    const required = form.get('required') === 'true';
    const result = await platformGraphql(
      event,
      SET_MFA_REQUIRED,
      { required },
      z.object({ setMfaRequired: z.object({ mfaRequired: z.boolean() }) }),
    );
    if (!result.ok) {
      return fail(failStatus(result.code, result.status), {
        action: 'mfaPolicy',
        fields: {},
        message: result.errors.form,
      } satisfies SecurityAnswer);
    }
    return {
      action: 'mfaPolicy',
      done: result.data.setMfaRequired.mfaRequired
        ? 'Two-factor authentication is now required: members without it set it up at their next sign-in.'
        : 'Two-factor authentication is now optional.',
      fields: {},
      message: null,
    } satisfies SecurityAnswer;
  },

  /** The workspace's OpenID provider; the secret is write-only (blank keeps the stored one). */
  sso: async (event) => {
    const form = await event.request.formData();
    const values = {
      issuer: String(form.get('issuer') ?? '').trim(),
      clientId: String(form.get('clientId') ?? '').trim(),
      allowedEmailDomains: String(form.get('allowedEmailDomains') ?? '').trim(),
      defaultRole: String(form.get('defaultRole') ?? ''),
      enabled: form.get('enabled') === 'on',
    };
    const secret = String(form.get('clientSecret') ?? '');
    const input = {
      issuer: values.issuer,
      clientId: values.clientId,
      ...(secret ? { clientSecret: secret } : {}),
      allowedEmailDomains: values.allowedEmailDomains.split(/[\s,]+/).filter(Boolean),
      defaultRole: values.defaultRole,
      enabled: values.enabled,
    };
    const result = await platformGraphql(
      event,
      SET_SSO,
      { input },
      z.object({ setSsoSettings: z.object({ sso: z.object({ enabled: z.boolean() }).nullable() }) }),
      SSO_FIELDS,
    );
    if (!result.ok) {
      return fail(failStatus(result.code, result.status), {
        action: 'sso',
        fields: result.errors.fields,
        message: result.errors.form,
        values,
      } satisfies SecurityAnswer);
    }
    event.locals.log.info({ event: 'sso_settings_changed' }, 'SSO settings saved');
    return {
      action: 'sso',
      done: result.data.setSsoSettings.sso?.enabled
        ? 'Single sign-on is set up and on.'
        : 'Single sign-on saved (off).',
      fields: {},
      message: null,
    } satisfies SecurityAnswer;
  },

  /** Off, settings kept: members sign in with passwords again. */
  disableSso: async (event) => {
    const result = await platformGraphql(event, DISABLE_SSO, {}, z.object({ disableSso: z.unknown() }));
    if (!result.ok)
      return fail(failStatus(result.code, result.status), {
        action: 'disableSso',
        fields: {},
        message: result.errors.form,
      } satisfies SecurityAnswer);
    return {
      action: 'disableSso',
      done: 'Single sign-on is off.',
      fields: {},
      message: null,
    } satisfies SecurityAnswer;
  },
};
