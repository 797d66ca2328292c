import { cacheExchange, Client, fetchExchange, subscriptionExchange } from '@urql/svelte';
import { reportSessionEnded } from '$lib/auth/session-ended.svelte';
import { forwardOverSse } from '$lib/live/sse-transport';

/**
 * The browser's GraphQL client: same-origin `/graphql` (proxied by the web server, which adds the session and
 * the workspace). A 401 means the session ended: the app says so (SessionEndedDialog), sign in, come back here.
 */
export function createGraphqlClient(): Client {
  return new Client({
    url: '/graphql',
    // subscriptions (live updates) stream over Server-Sent Events on the same /graphql
    exchanges: [cacheExchange, fetchExchange, subscriptionExchange({ forwardSubscription: forwardOverSse })],
    preferGetMethod: false,
    fetchOptions: {
      credentials: 'same-origin',
      headers: { accept: 'application/graphql-response+json, application/json' },
    },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      // the session ended mid-work: say so and let the person choose when to sign in (keeps open drawers)
      if (response.status === 401) reportSessionEnded();
      return response;
    },
  });
}
