import { MEMBERS_QUERY } from '$lib/access/access-documents';
import { serverGraphql } from '$lib/server/graphql';
import { membersDataSchema } from '$lib/server/access-schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const data = await serverGraphql(event, MEMBERS_QUERY, {}, membersDataSchema);
  return { ...data, members: data.members.sort((a, b) => a.displayName.localeCompare(b.displayName)) };
};
