import DataLoader from 'dataloader';
import type { RequestContext } from '../../engine/context.js';
import { customerRepository } from './customer-repository.js';
import type { Account, Contact, Site } from './customer-schema.js';

/**
 * Per-request batch loaders, so a page of 50 opportunities asks for their accounts in one query, not 50.
 * They read through the data-access layer: a row hidden from the caller loads as null. One set per request
 * context (never shared across callers, so nothing cached leaks between scopes).
 */
export interface CustomerLoaders {
  account: DataLoader<string, Account | null>;
  site: DataLoader<string, Site | null>;
  contactsOfAccount: DataLoader<string, Contact[]>;
  sitesOfAccount: DataLoader<string, Site[]>;
}

const perRequest = new WeakMap<RequestContext, CustomerLoaders>();

export function customerLoaders(rc: RequestContext): CustomerLoaders {
  let loaders = perRequest.get(rc);
  if (loaders) return loaders;
  const repo = customerRepository(rc.data);
  const byId =
    <T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
    async (ids: readonly string[]) => {
      const found = new Map((await load(ids)).map((r) => [r.id, r]));
      return ids.map((id) => found.get(id) ?? null);
    };
  const byAccount =
    <T extends { accountId: string }>(load: (ids: readonly string[]) => Promise<T[]>) =>
    async (ids: readonly string[]) => {
      const groups = new Map<string, T[]>();
      for (const r of await load(ids)) groups.set(r.accountId, [...(groups.get(r.accountId) ?? []), r]);
      return ids.map((id) => groups.get(id) ?? []);
    };
  loaders = {
    account: new DataLoader(
      byId((ids) => repo.accountsByIds(ids)),
      { maxBatchSize: 500 },
    ),
    site: new DataLoader(
      byId((ids) => repo.sitesByIds(ids)),
      { maxBatchSize: 500 },
    ),
    contactsOfAccount: new DataLoader(
      byAccount((ids) => repo.contactsOfAccounts(ids)),
      { maxBatchSize: 500 },
    ),
    sitesOfAccount: new DataLoader(
      byAccount((ids) => repo.sitesOfAccounts(ids)),
      { maxBatchSize: 500 },
    ),
  };
  perRequest.set(rc, loaders);
  return loaders;
}
