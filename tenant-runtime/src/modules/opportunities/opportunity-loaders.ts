import DataLoader from 'dataloader';
import type { RequestContext } from '../../engine/context.js';
import { leadRepository } from '../leads/lead-repository.js';
import { opportunityRepository } from './opportunity-repository.js';
import type { StageChange } from './opportunity-schema.js';

type LeadOf = NonNullable<Awaited<ReturnType<ReturnType<typeof leadRepository>['findById']>>>;

/** Per-request batch loaders for what an opportunity points at (accounts and sites: customer-loaders.ts). */
export interface OpportunityLoaders {
  lead: DataLoader<string, LeadOf | null>;
  history: DataLoader<string, StageChange[]>;
}

const perRequest = new WeakMap<RequestContext, OpportunityLoaders>();

export function opportunityLoaders(rc: RequestContext): OpportunityLoaders {
  let loaders = perRequest.get(rc);
  if (loaders) return loaders;
  const leads = leadRepository(rc.data);
  const opps = opportunityRepository(rc.data);
  loaders = {
    // one scoped read for every lead a page of opportunities points at; hidden leads load as null
    lead: new DataLoader(
      async (ids: readonly string[]) => {
        const found = new Map((await leads.byIds(ids)).map((l) => [l.id, l]));
        return ids.map((id) => found.get(id) ?? null);
      },
      { maxBatchSize: 500 },
    ),
    history: new DataLoader(async (ids: readonly string[]) => {
      const all = await opps.historyOf(ids);
      return ids.map((id) => all.filter((h) => h.opportunityId === id));
    }),
  };
  perRequest.set(rc, loaders);
  return loaders;
}
