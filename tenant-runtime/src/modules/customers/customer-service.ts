import { NotFound, ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import type { Row } from '../../engine/data/data-access.js';
import { connectionArgsSchema, type Connection } from '../../engine/graphql/connection.js';
import { originOf, recordEvent } from '../../engine/outbox/record-event.js';
import { UUID } from '../../engine/validation/fields.js';
import { activityRepository } from '../activities/activity-repository.js';
import { customerRepository } from './customer-repository.js';
import {
  assignAccountInputSchema,
  contactInputSchema,
  createAccountInputSchema,
  listAccountsArgsSchema,
  siteInputSchema,
  updateAccountInputSchema,
  updateContactInputSchema,
  updateSiteInputSchema,
  type Account,
  type Contact,
  type Site,
} from './customer-schema.js';
import { toContact, toSite } from './customer-rows.js';
import { contactsTable, sitesTable } from './customer-tables.js';
import { toSortedConnection } from './sorted-page.js';

/** Customer use cases. Input is validated here (zod) before anything is written; resolvers only translate. */

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix: string[]): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, prefix);
  return parsed.data;
}
const requireId = (id: string, what: string) => {
  if (!UUID.test(id)) throw new NotFound(`No such ${what}`);
};

/** Creates an account, with any contacts and sites given, in one transaction. The caller owns it. */
export async function createAccount(rc: RequestContext, rawInput: unknown): Promise<Account> {
  const input = parse(createAccountInputSchema, rawInput, ['input']);
  const id = uuidv7();
  await rc.data.transaction(async (data) => {
    const repo = customerRepository(data);
    const account = await repo.insertAccount(id, input, {
      ownerId: rc.actor.memberId,
      createdBy: rc.actor.memberId,
    });
    // the first contact is primary unless one is marked so
    const contacts = input.contacts ?? [];
    const anyPrimary = contacts.some((c) => c.isPrimary);
    for (const [i, c] of contacts.entries())
      await repo.insertContact(uuidv7(), account, { ...c, isPrimary: anyPrimary ? c.isPrimary : i === 0 });
    for (const s of input.sites ?? []) await repo.insertSite(uuidv7(), account, s);
    await recordEvent(data, originOf(rc), { type: 'account.created', entityType: 'Account', entityId: id });
  });
  rc.log.info({ accountId: id }, 'account created');
  return (await customerRepository(rc.data).findAccount(id))!;
}

/** null when the account does not exist or is outside the caller's scope — the two look the same. */
export async function getAccount(rc: RequestContext, id: string): Promise<Account | null> {
  return UUID.test(id) ? customerRepository(rc.data).findAccount(id) : null;
}
export async function getContact(rc: RequestContext, id: string): Promise<Contact | null> {
  return UUID.test(id) ? customerRepository(rc.data).findContact(id) : null;
}
export async function getSite(rc: RequestContext, id: string): Promise<Site | null> {
  return UUID.test(id) ? customerRepository(rc.data).findSite(id) : null;
}

export async function listAccounts(rc: RequestContext, rawArgs: unknown): Promise<Connection<Account>> {
  const { first, after, filter, sort } = parse(listAccountsArgsSchema, rawArgs, []);
  const page = await customerRepository(rc.data).listAccounts({
    first,
    after: after ?? null,
    filter: {
      ...(filter?.kind ? { kinds: filter.kind } : {}),
      ...(filter?.ownerId ? { ownerIds: filter.ownerId } : {}),
      ...(filter?.search ? { search: filter.search } : {}),
    },
    sort: sort ?? null,
  });
  return toSortedConnection(page.accounts, { ...page, after });
}

export async function updateAccount(rc: RequestContext, id: string, rawInput: unknown): Promise<Account> {
  const input = parse(updateAccountInputSchema, rawInput, ['input']);
  requireId(id, 'account');
  const account = await rc.data.transaction(async (data) => {
    const updated = await customerRepository(data).updateAccount(id, input);
    await recordEvent(data, originOf(rc), { type: 'account.updated', entityType: 'Account', entityId: id });
    return updated;
  });
  rc.log.info({ accountId: id }, 'account updated');
  return account;
}

/** Hands an account (with its contacts and sites) to another owner and/or unit, within the caller's scope. */
export async function assignAccount(rc: RequestContext, id: string, rawInput: unknown): Promise<Account> {
  const input = parse(assignAccountInputSchema, rawInput, ['input']);
  requireId(id, 'account');
  if (input.unitId && !(await rc.data.unscoped('org_units').where({ id: input.unitId }).first('id')))
    throw new ValidationFailed({ 'input.unitId': ['No such org unit'] });
  const account = await rc.data.transaction(async (data) => {
    const assigned = await customerRepository(data).assignAccount(id, input);
    await recordEvent(data, originOf(rc), {
      type: 'account.assigned',
      entityType: 'Account',
      entityId: id,
      payload: { ownerId: assigned.ownerId, unitId: assigned.unitId },
    });
    return assigned;
  });
  rc.log.info({ accountId: id, ownerId: account.ownerId, unitId: account.unitId }, 'account assigned');
  return account;
}

/** A contact or site change is also a change to its account: both tags are invalidated downstream. */
async function childEvent(
  data: RequestContext['data'],
  rc: RequestContext,
  type: string,
  entityType: 'Contact' | 'Site',
  id: string,
  accountId: string,
) {
  await recordEvent(data, originOf(rc), { type, entityType, entityId: id, payload: { accountId } });
}

export async function addContact(rc: RequestContext, accountId: string, rawInput: unknown): Promise<Contact> {
  const input = parse(contactInputSchema, rawInput, ['input']);
  requireId(accountId, 'account');
  const id = uuidv7();
  await rc.data.transaction(async (data) => {
    const repo = customerRepository(data);
    await repo.insertContact(id, await repo.touchAccount(accountId), input);
    await childEvent(data, rc, 'contact.created', 'Contact', id, accountId);
  });
  return (await customerRepository(rc.data).findContact(id))!;
}

export async function updateContact(rc: RequestContext, id: string, rawInput: unknown): Promise<Contact> {
  const input = parse(updateContactInputSchema, rawInput, ['input']);
  requireId(id, 'contact');
  return rc.data.transaction(async (data) => {
    const contact = await customerRepository(data).updateContact(id, input);
    await childEvent(data, rc, 'contact.updated', 'Contact', id, contact.accountId);
    return contact;
  });
}

export async function removeContact(rc: RequestContext, id: string): Promise<string> {
  requireId(id, 'contact');
  await rc.data.transaction(async (data) => {
    const repo = customerRepository(data);
    const contact = await repo.findContact(id);
    await repo.removeChild(contactsTable, id);
    // its calls, notes and tasks stay on the customer's timeline
    await activityRepository(data).reattach(
      { subjectType: 'contact', subjectId: id },
      { subjectType: 'account', subjectId: contact!.accountId },
    );
    await childEvent(data, rc, 'contact.removed', 'Contact', id, contact!.accountId);
  });
  return id;
}

export async function addSite(rc: RequestContext, accountId: string, rawInput: unknown): Promise<Site> {
  const input = parse(siteInputSchema, rawInput, ['input']);
  requireId(accountId, 'account');
  const id = uuidv7();
  await rc.data.transaction(async (data) => {
    const repo = customerRepository(data);
    await repo.insertSite(id, await repo.touchAccount(accountId), input);
    await childEvent(data, rc, 'site.created', 'Site', id, accountId);
  });
  return (await customerRepository(rc.data).findSite(id))!;
}

export async function updateSite(rc: RequestContext, id: string, rawInput: unknown): Promise<Site> {
  const input = parse(updateSiteInputSchema, rawInput, ['input']);
  requireId(id, 'site');
  return rc.data.transaction(async (data) => {
    const site = await customerRepository(data).updateSite(id, input);
    await childEvent(data, rc, 'site.updated', 'Site', id, site.accountId);
    return site;
  });
}

export async function removeSite(rc: RequestContext, id: string): Promise<string> {
  requireId(id, 'site');
  await rc.data.transaction(async (data) => {
    const repo = customerRepository(data);
    const site = await repo.findSite(id);
    await repo.removeChild(sitesTable, id);
    // its calls, notes and tasks stay on the customer's timeline
    await activityRepository(data).reattach(
      { subjectType: 'site', subjectId: id },
      { subjectType: 'account', subjectId: site!.accountId },
    );
    await childEvent(data, rc, 'site.removed', 'Site', id, site!.accountId);
  });
  return id;
}

export const listChildrenArgsSchema = connectionArgsSchema.extend({
  filter: z
    .object({
      accountId: z.uuid('Must be an account id').nullish(),
      search: z.string().trim().max(100, 'At most 100 characters').nullish(),
    })
    .nullish(),
});

async function listChildren<T>(
  rc: RequestContext,
  table: typeof contactsTable | typeof sitesTable,
  rawArgs: unknown,
  present: (row: Row) => T,
): Promise<Connection<T>> {
  const { first, after, filter } = parse(listChildrenArgsSchema, rawArgs, []);
  const page = await customerRepository(rc.data).listChildren(
    table,
    {
      first,
      after: after ?? null,
      filter: {
        ...(filter?.accountId ? { accountId: filter.accountId } : {}),
        ...(filter?.search ? { search: filter.search } : {}),
      },
    },
    present,
  );
  return toSortedConnection(page.nodes, { ...page, after });
}

/** Contacts the caller can see (those of accounts they can see), newest first. */
export const listContacts = (rc: RequestContext, rawArgs: unknown): Promise<Connection<Contact>> =>
  listChildren(rc, contactsTable, rawArgs, toContact);

/** Sites the caller can see (those of accounts they can see), newest first. */
export const listSites = (rc: RequestContext, rawArgs: unknown): Promise<Connection<Site>> =>
  listChildren(rc, sitesTable, rawArgs, toSite);
