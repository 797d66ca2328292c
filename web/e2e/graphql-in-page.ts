import type { Page } from 'playwright-core';

/**
 * Runs a GraphQL operation through the app's own /graphql from inside `page`, so it goes as the page's
 * signed-in user (their session cookie, their row scope), the way the app's screens do. The page must be on
 * the app. Returns `data`; GraphQL errors throw, so a test never reads half an answer.
 */
export async function graphqlIn<T = Record<string, unknown>>(
  page: Page,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const body = await page.evaluate(
    async ([q, v]) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: q, variables: v }),
      });
      return (await res.json()) as { data?: unknown; errors?: unknown };
    },
    [query, variables] as const,
  );
  if (body.errors) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data as T;
}
