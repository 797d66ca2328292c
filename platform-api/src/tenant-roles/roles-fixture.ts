import type { FakeRuntime } from '../testing/fake-runtime.js';

/**
 * Makes a fake runtime answer `{ viewer { permissions } }` as the real one does: from the verified internal
 * token's subject. Members not in `permissions` hold none. Counts the questions, so tests can see the cache.
 */
export function answerPermissions(runtime: FakeRuntime, permissions: Map<string, string[]>) {
  const asked = { count: 0 };
  runtime.handler = (request, res) => {
    if (request.url !== '/graphql' || !graphqlText(request.body).includes('viewer { permissions }'))
      return false;
    asked.count += 1;
    res
      .writeHead(200, { 'content-type': 'application/graphql-response+json' })
      .end(JSON.stringify({ data: { viewer: { permissions: permissions.get(request.claims!.sub) ?? [] } } }));
    return true;
  };
  return asked;
}

/** The query of a GraphQL request body with its whitespace collapsed, for matching by text. */
export function graphqlText(body: string): string {
  try {
    const { query } = JSON.parse(body) as { query?: unknown };
    return typeof query === 'string' ? query.replace(/\s+/g, ' ') : '';
  } catch {
    return '';
  }
}
