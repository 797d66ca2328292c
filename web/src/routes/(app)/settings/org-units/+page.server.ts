import { ORG_UNITS_QUERY } from '$lib/access/access-documents';
import { serverGraphql } from '$lib/server/graphql';
import { orgUnitsDataSchema } from '$lib/server/access-schemas';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const { orgUnits } = await serverGraphql(event, ORG_UNITS_QUERY, {}, orgUnitsDataSchema);
  return { orgUnits };
};
