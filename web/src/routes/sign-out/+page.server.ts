import { redirect } from '@sveltejs/kit';
import { callPlatformApi } from '$lib/server/platform-api';
import { requireTenant } from '$lib/server/require-tenant';
import { forgetSession } from '$lib/server/session';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => {
  const workspace = requireTenant(locals);
  if (!locals.sessionToken) redirect(303, '/sign-in');
  return { workspace };
};

export const actions: Actions = {
  /** Ends the session at platform-api (so the token is dead everywhere), then forgets the cookie here. */
  default: async (event) => {
    requireTenant(event.locals);
    if (event.locals.sessionToken) {
      try {
        const response = await callPlatformApi(event, '/auth/sign-out', { method: 'POST' });
        if (!response.ok)
          event.locals.log.warn({ status: response.status }, 'sign-out not confirmed upstream');
      } catch {
        // already logged; the cookie goes anyway, and the session expires on its own
      }
    }
    forgetSession(event);
    redirect(303, '/sign-in');
  },
};
