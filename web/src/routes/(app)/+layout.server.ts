import { redirect } from '@sveltejs/kit';
import { VIEWER_QUERY } from '$lib/access/access-documents';
import { signInUrl } from '$lib/safe-next';
import { serverGraphql } from '$lib/server/graphql';
import { requireTenant } from '$lib/server/require-tenant';
import { viewerDataSchema } from '$lib/server/access-schemas';
import { forgetSession, getSession } from '$lib/server/session';
import type { LayoutServerLoad } from './$types';

/**
 * Every app page needs a signed-in user of this workspace; others go to sign in and come back. The viewer's
 * permissions come along so the navigation and actions show only what they may use; they are read on every
 * full page load, so a role granted a moment ago shows on the next one.
 */
export const load: LayoutServerLoad = async (event) => {
  requireTenant(event.locals);
  const session = await getSession(event);
  if (!session) {
    if (event.locals.sessionToken) forgetSession(event);
    redirect(303, signInUrl(event.url));
  }
  const { viewer } = await serverGraphql(event, VIEWER_QUERY, {}, viewerDataSchema);
  return {
    user: session.user,
    tenant: session.tenant,
    viewer: { id: viewer.userId, memberName: viewer.member?.displayName ?? null },
    permissions: viewer.permissions,
  };
};
