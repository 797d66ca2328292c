import { cacheExchange, Client, fetchExchange } from '@urql/svelte';

/**
 * The browser's GraphQL client: same-origin `/graphql` (proxied by the web server, which adds the session and
 * the workspace). A 401 means the session ended: go and sign in, then come back here.
 */
export function createGraphqlClient(): Client {
  return new Client({
    url: '/graphql',
    exchanges: [cacheExchange, fetchExchange],
    preferGetMethod: false,
    fetchOptions: {
      credentials: 'same-origin',
      headers: { accept: 'application/graphql-response+json, application/json' },
    },
    fetch: async (input, init) => {
      const response = await fetch(input, init);
      if (response.status === 401) {
        const next = location.pathname + location.search;
        location.assign(`/sign-in?next=${encodeURIComponent(next)}`);
      }
      return response;
    },
  });
}
