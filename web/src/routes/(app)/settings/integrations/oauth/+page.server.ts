import { credentialActions, OAUTH_CLIENTS } from '$lib/auth/credential-actions.server';
import { requireManager } from '../../require-manager';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  return { rows: await OAUTH_CLIENTS.list(event) };
};

export const actions: Actions = credentialActions(OAUTH_CLIENTS);
