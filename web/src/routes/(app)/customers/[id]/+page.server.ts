import { error } from '@sveltejs/kit';
import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import { toCard } from '$lib/sales/pipeline';
import { ACCOUNT_OPPORTUNITIES_QUERY, ACCOUNT_QUERY } from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { accountDataSchema, accountOpportunitiesDataSchema } from '$lib/server/sales-schemas';
import type { PageServerLoad } from './$types';

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This customer doesn't exist, or it isn't shared with you." });
}

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) notFound();
  const { permissions } = await event.parent();
  const data = await serverGraphql(event, ACCOUNT_QUERY, { id }, accountDataSchema);
  const account = data.account ?? notFound();
  // staff who may see customers but not deals (field techs) get the account alone
  const deals = can(permissions, 'opportunities', 'read')
    ? await serverGraphql(event, ACCOUNT_OPPORTUNITIES_QUERY, { id }, accountOpportunitiesDataSchema)
    : null;
  const directory: Directory = leadAbilities(permissions).directory
    ? await serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
    : EMPTY_DIRECTORY;
  return {
    account,
    stages: deals?.pipelineStages ?? [],
    opportunities: deals?.opportunities.edges.map((e) => toCard(e.node)) ?? null,
    directory,
  };
};
