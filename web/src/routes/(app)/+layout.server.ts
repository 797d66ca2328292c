import { redirect } from '@sveltejs/kit';
import { signInUrl } from '$lib/safe-next';
import { requireTenant } from '$lib/server/require-tenant';
import { forgetSession, getSession } from '$lib/server/session';
import type { LayoutServerLoad } from './$types';

/** Every app page needs a signed-in user of this workspace; others go to sign in and come back. */
export const load: LayoutServerLoad = async (event) => {
  requireTenant(event.locals);
  const session = await getSession(event);
  if (!session) {
    if (event.locals.sessionToken) forgetSession(event);
    redirect(303, signInUrl(event.url));
  }
  return { user: session.user, tenant: session.tenant };
};
