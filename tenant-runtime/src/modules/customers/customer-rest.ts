import { NotFound } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { MAX_PAGE_SIZE } from '../../engine/graphql/connection.js';
import { toPage } from '../../engine/rest/rest-page.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import {
  ACCOUNT_KINDS,
  createAccountInputSchema,
  updateAccountInputSchema,
  type Account,
} from './customer-schema.js';
import { createAccount, getAccount, listAccounts, updateAccount } from './customer-service.js';

/** An account as REST shows it. */
export const accountResourceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(ACCOUNT_KINDS),
  name: z.string(),
  billingStreet: z.string().nullable(),
  billingCity: z.string().nullable(),
  billingRegion: z.string().nullable(),
  billingPostalCode: z.string().nullable(),
  billingCountry: z.string(),
  sourceLeadId: z.uuid().nullable(),
  ownerId: z.uuid().nullable(),
  unitId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type AccountResource = z.output<typeof accountResourceSchema>;

export const accountPageSchema = z.object({
  data: z.array(accountResourceSchema),
  nextCursor: z.string().nullable().describe('Pass as `after` for the next page; null on the last page'),
  totalCount: z.number().int(),
});

export const accountListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20).describe('Page size'),
  after: z.string().max(200).optional().describe('Cursor from the previous page'),
  kind: z.enum(ACCOUNT_KINDS).optional(),
  search: z.string().trim().max(100).optional().describe('Account name prefix'),
});

export function toAccountResource(a: Account): AccountResource {
  return {
    ...a,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
}

async function found(rc: RequestContext, id: string): Promise<AccountResource | null> {
  const account = await getAccount(rc, id);
  return account ? toAccountResource(account) : null;
}

/** /api/v1/accounts: the customer services GraphQL uses, so row scope applies unchanged. */
export const accountRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/accounts',
    operationId: 'listAccounts',
    tag: 'Accounts',
    summary: 'Accounts the caller can see',
    query: accountListQuerySchema,
    response: accountPageSchema,
    responseName: 'AccountPage',
    async handle(rc, { query }) {
      const conn = await listAccounts(rc, {
        first: query.limit,
        after: query.after ?? null,
        filter: { kind: query.kind ? [query.kind] : null, search: query.search ?? null },
      });
      return toPage(conn, toAccountResource);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/accounts/{id}',
    operationId: 'getAccount',
    tag: 'Accounts',
    summary: 'One account',
    response: accountResourceSchema,
    responseName: 'Account',
    async handle(rc, { params }) {
      const account = await found(rc, params.id!);
      if (!account) throw new NotFound('No such account');
      return account;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/accounts',
    operationId: 'createAccount',
    tag: 'Accounts',
    summary: 'Create an account, optionally with contacts and sites; the caller owns it',
    body: createAccountInputSchema,
    response: accountResourceSchema,
    responseName: 'Account',
    status: 201,
    async handle(rc, { body }) {
      return toAccountResource(await createAccount(rc, body));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/accounts/{id}',
    operationId: 'updateAccount',
    tag: 'Accounts',
    summary: 'Change some of an account’s fields',
    body: updateAccountInputSchema,
    response: accountResourceSchema,
    responseName: 'Account',
    current: (rc, params) => found(rc, params.id!),
    async handle(rc, { params, body }) {
      return toAccountResource(await updateAccount(rc, params.id!, body));
    },
  }),
];
