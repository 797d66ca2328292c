import { z } from 'zod';
import { can } from '$lib/access/permissions';
import { ACCOUNTS_QUERY } from '$lib/sales/sales-documents';
import { serverGraphql } from '$lib/server/graphql';
import { ACCOUNT_KINDS, accountsDataSchema } from '$lib/server/sales-schemas';
import type { PageServerLoad } from './$types';

/** The list's URL query: a GET form, so searching works without JavaScript and links can be shared. */
const querySchema = z.object({
  q: z.string().trim().max(100).catch(''),
  kind: z.enum(ACCOUNT_KINDS).optional().catch(undefined),
  after: z.string().max(500).optional().catch(undefined),
});

export const load: PageServerLoad = async (event) => {
  const query = querySchema.parse(Object.fromEntries(event.url.searchParams));
  const { permissions } = await event.parent();
  const filter = {
    ...(query.q ? { search: query.q } : {}),
    ...(query.kind ? { kind: [query.kind] } : {}),
  };
  const data = await serverGraphql(
    event,
    ACCOUNTS_QUERY,
    { first: 50, after: query.after ?? null, filter },
    accountsDataSchema,
  );
  return {
    query,
    accounts: data.accounts.edges.map((e) => e.node),
    totalCount: data.accounts.totalCount,
    pageInfo: data.accounts.pageInfo,
    canCreate: can(permissions, 'customers', 'create'),
  };
};
