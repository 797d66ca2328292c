import { API_KEYS, credentialActions } from '$lib/auth/credential-actions.server';
import { requireManager } from '../require-manager';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  return { rows: await API_KEYS.list(event) };
};

export const actions: Actions = credentialActions(API_KEYS);
