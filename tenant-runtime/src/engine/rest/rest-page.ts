import type { Connection } from '../graphql/connection.js';

/** A REST page: the nodes, the cursor to continue after (null on the last page), the total. */
export interface RestPage<R> {
  data: R[];
  nextCursor: string | null;
  totalCount: number;
}

export async function toPage<N, R>(conn: Connection<N>, present: (n: N) => R): Promise<RestPage<R>> {
  return {
    data: conn.edges.map((e) => present(e.node)),
    nextCursor: conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null,
    totalCount: await conn.totalCount(),
  };
}
