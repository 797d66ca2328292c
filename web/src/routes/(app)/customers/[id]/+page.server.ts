import { error } from '@sveltejs/kit';
import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { can, leadAbilities } from '$lib/access/permissions';
import { recordHistory } from '$lib/audit/record-history.server';
import { EMPTY_DIRECTORY, type Directory } from '$lib/leads/directory';
import {
  recordActivitySchema,
  proposalsOfOpportunitiesSchema,
  type ProposalSummary,
} from '$lib/sales/opportunity-schemas';
import { toCard } from '$lib/sales/pipeline';
import {
  RECORD_ACTIVITY_QUERY,
  ACCOUNT_OPPORTUNITIES_QUERY,
  ACCOUNT_QUERY,
  proposalsOfOpportunitiesQuery,
} from '$lib/sales/sales-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { accountDataSchema, accountOpportunitiesDataSchema } from '$lib/server/sales-schemas';
import type { PageServerLoad } from './$types';

/** Proposals are listed for this many of the customer's deals (newest first); a customer rarely has more. */
const PROPOSAL_DEALS = 20;

function notFound(): never {
  error(404, { code: 'NOT_FOUND', message: "This customer doesn't exist, or it isn't shared with you." });
}

export const load: PageServerLoad = async (event) => {
  const id = event.params.id;
  if (!/^[0-9a-fA-F-]{8,64}$/.test(id)) notFound();
  const { permissions } = await event.parent();
  const [data, activity, directory, history] = await Promise.all([
    serverGraphql(event, ACCOUNT_QUERY, { id }, accountDataSchema),
    serverGraphql(event, RECORD_ACTIVITY_QUERY, { type: 'ACCOUNT', id }, recordActivitySchema),
    leadAbilities(permissions).directory
      ? serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema)
      : Promise.resolve<Directory>(EMPTY_DIRECTORY),
    recordHistory(event, permissions, 'Account', id),
  ]);
  const account = data.account ?? notFound();
  // staff who may see customers but not deals (field techs) get the account alone
  const deals = can(permissions, 'opportunities', 'read')
    ? await serverGraphql(event, ACCOUNT_OPPORTUNITIES_QUERY, { id }, accountOpportunitiesDataSchema)
    : null;
  const opportunities = deals?.opportunities.edges.map((e) => toCard(e.node)) ?? null;
  const withProposals = (opportunities ?? []).slice(0, PROPOSAL_DEALS);
  const proposals: { opportunity: { id: string; name: string }; versions: ProposalSummary[] }[] = [];
  if (withProposals.length) {
    const found = await serverGraphql(
      event,
      proposalsOfOpportunitiesQuery(withProposals.length),
      Object.fromEntries(withProposals.map((o, i) => [`o${i}`, o.id])),
      proposalsOfOpportunitiesSchema,
    );
    withProposals.forEach((o, i) => {
      const versions = found[`p${i}`] ?? [];
      if (versions.length) proposals.push({ opportunity: { id: o.id, name: o.name }, versions });
    });
  }
  return {
    account,
    stages: deals?.pipelineStages ?? [],
    opportunities,
    proposals,
    activities: activity.timeline.edges.map((e) => e.node),
    activityCount: activity.timeline.totalCount,
    directory,
    // logging on a record is working it: the update right on it
    canLog: can(permissions, 'customers', 'update'),
    canEdit: can(permissions, 'customers', 'update'),
    canCreateDeal: can(permissions, 'opportunities', 'create'),
    history,
  };
};
