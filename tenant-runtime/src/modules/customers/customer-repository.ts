import type { Knex } from '@solar/common';
import type { DataAccess, Row } from '../../engine/data/data-access.js';
import {
  toAccount,
  toContact,
  toSite,
  patchOf,
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  SITE_COLUMNS,
} from './customer-rows.js';
import type {
  Account,
  AccountKind,
  Contact,
  ContactInput,
  CreateAccountInput,
  Site,
  SiteInput,
  UpdateAccountInput,
  UpdateContactInput,
  UpdateSiteInput,
} from './customer-schema.js';
import { accountsTable, contactsTable, sitesTable } from './customer-tables.js';
import { sortedPage, type SortKey } from './sorted-page.js';
import { countOnDemand, type LazyCount } from '../../engine/graphql/connection.js';

export interface AccountFilterQuery {
  kinds?: AccountKind[];
  ownerIds?: string[];
  search?: string;
}

/** `!` is our LIKE escape character, so user-typed %, _ and ! match themselves. */
export const prefixPattern = (term: string) => `${term.replace(/[!%_]/g, '!$&')}%`;

const whereOf = (f: AccountFilterQuery) => (qb: Knex.QueryBuilder) => {
  if (f.kinds?.length) qb.whereIn('accounts.kind', f.kinds);
  if (f.ownerIds?.length) qb.whereIn('accounts.owner_id', f.ownerIds);
  if (f.search) {
    const p = prefixPattern(f.search);
    // prefix matches only, each on an indexed column
    qb.where((or) =>
      or
        .whereRaw('accounts.name LIKE ? ESCAPE ?', [p, '!'])
        .orWhereRaw('accounts.billing_city LIKE ? ESCAPE ?', [p, '!']),
    );
  }
};

export interface ChildFilterQuery {
  accountId?: string;
  /** contacts: last name or email prefix; sites: city or label prefix */
  search?: string;
}

const childWhereOf =
  (table: typeof contactsTable | typeof sitesTable, f: ChildFilterQuery) => (qb: Knex.QueryBuilder) => {
    const t = table.name;
    if (f.accountId) qb.where(`${t}.account_id`, f.accountId);
    if (f.search) {
      const p = prefixPattern(f.search);
      const [a, b] = t === 'contacts' ? ['last_name', 'email'] : ['city', 'label'];
      qb.where((or) =>
        or.whereRaw(`${t}.${a} LIKE ? ESCAPE ?`, [p, '!']).orWhereRaw(`${t}.${b} LIKE ? ESCAPE ?`, [p, '!']),
      );
    }
  };

const SORTS: Record<'created_at' | 'name', string> = {
  // ids are UUIDv7, so id order is creation order (and a string key the cursor carries exactly)
  created_at: 'accounts.id',
  name: 'accounts.name',
};

/**
 * Accounts, contacts and sites in the caller's tenant, always through the data-access layer. Contacts and
 * sites are written with their account's owner and unit, and follow it when it is reassigned.
 */
export function customerRepository(data: DataAccess) {
  /** Locks the account for a change to it or its children: hidden → NotFound; not the caller's → Forbidden. */
  const touchAccount = async (accountId: string): Promise<Row> =>
    data.update(accountsTable, accountId, { updated_at: new Date() }, 'update');

  const childRow = (account: Row) => ({
    account_id: account['id'],
    owner_id: account['owner_id'],
    unit_id: account['unit_id'],
  });

  /** At most one primary contact per account: making one primary demotes the others. */
  const demoteOtherPrimaries = async (accountId: string, keepId: string) => {
    await data
      .select(contactsTable, 'update')
      .where('contacts.account_id', accountId)
      .whereNot('contacts.id', keepId)
      .where('contacts.is_primary', true)
      .update({ is_primary: false, updated_at: new Date() });
  };

  const repo = {
    touchAccount,

    async insertAccount(
      id: string,
      input: Omit<CreateAccountInput, 'contacts' | 'sites'>,
      o: {
        ownerId: string | null;
        unitId?: string | null;
        sourceLeadId?: string | null;
        createdBy: string | null;
      },
    ): Promise<Row> {
      await data.insert(accountsTable, {
        id,
        kind: input.kind,
        name: input.name,
        billing_street: input.billingStreet,
        billing_city: input.billingCity,
        billing_region: input.billingRegion,
        billing_postal_code: input.billingPostalCode,
        billing_country: input.billingCountry,
        source_lead_id: o.sourceLeadId ?? null,
        owner_id: o.ownerId,
        // undefined: the data-access layer puts it in the creator's primary team
        ...(o.unitId !== undefined ? { unit_id: o.unitId } : {}),
        created_by: o.createdBy,
      });
      const row = await data.findById(accountsTable, id);
      if (!row) throw new Error('account vanished right after insert');
      return row;
    },

    /** Adds a contact to an account row the caller has already locked (touchAccount or insertAccount). */
    async insertContact(id: string, account: Row, input: ContactInput): Promise<void> {
      await data.insert(contactsTable, {
        id,
        ...childRow(account),
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        phone: input.phone,
        title: input.title,
        is_primary: input.isPrimary,
      });
      if (input.isPrimary) await demoteOtherPrimaries(String(account['id']), id);
    },

    async insertSite(id: string, account: Row, input: SiteInput): Promise<void> {
      await data.insert(sitesTable, {
        id,
        ...childRow(account),
        ...patchOf(input, SITE_COLUMNS),
        label: input.label ?? 'Main site',
      });
    },

    async updateAccount(id: string, input: UpdateAccountInput): Promise<Account> {
      const patch = { ...patchOf(input, ACCOUNT_COLUMNS), updated_at: new Date() };
      return toAccount(await data.update(accountsTable, id, patch, 'update'));
    },

    /** New owner and/or unit; the account's contacts and sites move with it (same transaction). */
    async assignAccount(
      id: string,
      to: { ownerId?: string | null; unitId?: string | null },
    ): Promise<Account> {
      return data.transaction(async (tx) => {
        const patch: Row = { updated_at: new Date() };
        if (to.ownerId != null) patch['owner_id'] = to.ownerId;
        if (to.unitId != null) patch['unit_id'] = to.unitId;
        const after = await tx.update(accountsTable, id, patch, 'assign');
        const place = { owner_id: after['owner_id'], unit_id: after['unit_id'] };
        // the children shared the account's old place, so the same assign scope reaches them
        for (const child of [contactsTable, sitesTable])
          await tx.select(child, 'assign').where(`${child.name}.account_id`, id).update(place);
        return toAccount(after);
      });
    },

    async updateContact(id: string, input: UpdateContactInput): Promise<Contact> {
      const patch = { ...patchOf(input, CONTACT_COLUMNS), updated_at: new Date() };
      const row = await data.update(contactsTable, id, patch, 'update');
      if (input.isPrimary) await demoteOtherPrimaries(String(row['account_id']), id);
      return toContact(row);
    },

    async updateSite(id: string, input: UpdateSiteInput): Promise<Site> {
      const patch = { ...patchOf(input, SITE_COLUMNS), updated_at: new Date() };
      return toSite(await data.update(sitesTable, id, patch, 'update'));
    },

    /** Removing a contact or site is a change to its account: it needs the update right, not delete. */
    async removeChild(table: typeof contactsTable | typeof sitesTable, id: string): Promise<void> {
      await data.update(table, id, { updated_at: new Date() }, 'update');
      await data.select(table, 'update').where(`${table.name}.id`, id).delete();
    },

    async findAccount(id: string): Promise<Account | null> {
      const row = await data.findById(accountsTable, id);
      return row ? toAccount(row) : null;
    },
    async findContact(id: string): Promise<Contact | null> {
      const row = await data.findById(contactsTable, id);
      return row ? toContact(row) : null;
    },
    async findSite(id: string): Promise<Site | null> {
      const row = await data.findById(sitesTable, id);
      return row ? toSite(row) : null;
    },

    /** Batch reads for DataLoader: one query each, hidden rows simply absent. */
    async accountsByIds(ids: readonly string[]): Promise<Account[]> {
      return ((await data.select(accountsTable).whereIn('accounts.id', [...ids])) as Row[]).map(toAccount);
    },
    async sitesByIds(ids: readonly string[]): Promise<Site[]> {
      return ((await data.select(sitesTable).whereIn('sites.id', [...ids])) as Row[]).map(toSite);
    },
    async contactsOfAccounts(accountIds: readonly string[]): Promise<Contact[]> {
      return (
        (await data
          .select(contactsTable)
          .whereIn('contacts.account_id', [...accountIds])
          .orderBy([
            { column: 'contacts.is_primary', order: 'desc' },
            { column: 'contacts.id', order: 'asc' },
          ])) as Row[]
      ).map(toContact);
    },
    async sitesOfAccounts(accountIds: readonly string[]): Promise<Site[]> {
      return (
        (await data
          .select(sitesTable)
          .whereIn('sites.account_id', [...accountIds])
          .orderBy('sites.id', 'asc')) as Row[]
      ).map(toSite);
    },

    /** A page of contacts or sites, newest first, optionally of one account and/or matching a prefix. */
    async listChildren<T>(
      table: typeof contactsTable | typeof sitesTable,
      q: { first: number; after?: string | null; filter: ChildFilterQuery },
      present: (row: Row) => T,
    ): Promise<{ nodes: T[]; cursors: string[]; hasNextPage: boolean; totalCount: LazyCount }> {
      const where = childWhereOf(table, q.filter);
      const page = await sortedPage(data, table, {
        first: q.first,
        after: q.after ?? null,
        where,
        sort: null,
      });
      return {
        nodes: page.rows.map(present),
        cursors: page.cursors,
        hasNextPage: page.hasNextPage,
        totalCount: countOnDemand(() => data.count(table, where)),
      };
    },

    async listAccounts(q: {
      first: number;
      after?: string | null;
      filter: AccountFilterQuery;
      sort: { field: 'created_at' | 'name'; direction: 'asc' | 'desc' } | null;
    }): Promise<{ accounts: Account[]; cursors: string[]; hasNextPage: boolean; totalCount: LazyCount }> {
      const where = whereOf(q.filter);
      // newest first is the id order (UUIDv7): the data-access layer's index-walking page
      const sort: SortKey | null =
        !q.sort || (q.sort.field === 'created_at' && q.sort.direction === 'desc')
          ? null
          : { expression: SORTS[q.sort.field], direction: q.sort.direction };
      const after = q.after ?? null;
      const page = await sortedPage(data, accountsTable, { first: q.first, after, where, sort });
      return {
        accounts: page.rows.map(toAccount),
        cursors: page.cursors,
        hasNextPage: page.hasNextPage,
        totalCount: countOnDemand(() => data.count(accountsTable, where)),
      };
    },
  };
  return repo;
}
export type CustomerRepository = ReturnType<typeof customerRepository>;
