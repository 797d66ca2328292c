import type { RequestEvent } from '@sveltejs/kit';
import { getSession } from '$lib/server/session';

/** The page where someone sets up two-factor authentication (outside the app shell, which it may not use). */
export const TWO_FACTOR_SETUP_PATH = '/sign-in/two-factor';

/**
 * The workspace requires MFA and this person has none: platform-api refuses everything but enrolment, so
 * instead of an error page every app page sends them to set it up, and back here afterwards.
 * Asks /auth/session at most once per request (memoised; the app layout asks anyway).
 */
export async function enrolmentRedirect(event: RequestEvent): Promise<Response | null> {
  if (!event.locals.sessionToken || event.isDataRequest || !event.route.id?.startsWith('/(app)')) return null;
  let required = false;
  try {
    required = (await getSession(event))?.mfaEnrollmentRequired === true;
  } catch {
    return null; // the layout asks again and shows the error page
  }
  if (!required) return null;
  const next = event.url.pathname + event.url.search;
  return new Response(null, {
    status: 303,
    headers: {
      location: `${TWO_FACTOR_SETUP_PATH}?next=${encodeURIComponent(next)}`,
      'cache-control': 'no-store',
    },
  });
}
