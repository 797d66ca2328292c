import { leadFormsDataSchema, LEAD_FORMS_QUERY, publicOrigin } from '$lib/forms/lead-forms';
import { serverGraphql } from '$lib/server/graphql';
import { requireTenant } from '$lib/server/require-tenant';
import { config } from '$lib/server/runtime-config';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

/** The workspace's web lead forms: create one, get the markup to paste, change, switch off, replace a key. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const { leadForms, members } = await serverGraphql(event, LEAD_FORMS_QUERY, {}, leadFormsDataSchema);
  return {
    forms: leadForms,
    members: members.filter((m) => m.status === 'ACTIVE').map((m) => ({ value: m.id, label: m.displayName })),
    memberNames: Object.fromEntries(members.map((m) => [m.id, m.displayName])),
    publicOrigin: publicOrigin(config.API_PUBLIC_ORIGIN, requireTenant(event.locals), event.url.origin),
  };
};
