import { ROLES_QUERY } from '$lib/access/access-documents';
import { serverGraphql } from '$lib/server/graphql';
import { rolesDataSchema } from '$lib/server/access-schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { roles } = await serverGraphql(event, ROLES_QUERY, {}, rolesDataSchema);
  return { roles };
};
