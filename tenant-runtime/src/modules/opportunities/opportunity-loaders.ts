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
    // leads export no batch read yet, so this is one scoped read per distinct lead (deduplicated per
    // request); switch to a leads batch read once lead-repository offers one
    lead: new DataLoader(async (ids: readonly string[]) => Promise.all(ids.map((id) => leads.findById(id)))),
    history: new DataLoader(async (ids: readonly string[]) => {
      const all = await opps.historyOf(ids);
      return ids.map((id) => all.filter((h) => h.opportunityId === id));
    }),
  };
  perRequest.set(rc, loaders);
  return loaders;
}
