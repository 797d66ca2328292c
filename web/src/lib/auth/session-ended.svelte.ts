import { signInUrl } from '$lib/safe-next';

/**
 * The browser learned that the session ended (an API call answered 401): expired, revoked on another
 * device, or signed out everywhere. Instead of jumping away — and losing whatever is typed in an open
 * drawer — the app says so and lets the person choose when to go and sign in.
 */
export const sessionEnded = $state({ ended: false, signInHref: '/sign-in' });

export function reportSessionEnded(): void {
  if (sessionEnded.ended) return;
  // read once, not kept: no reactivity wanted
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  sessionEnded.signInHref = signInUrl(new URL(location.href));
  sessionEnded.ended = true;
}
