import { NotFound } from '@solar/common';
import { z } from 'zod';
import type { RequestContext } from '../../engine/context.js';
import { toPage } from '../../engine/rest/rest-page.js';
import { defineRoute, type RestRoute } from '../../engine/rest/rest-route.js';
import { iso, pageOf, pageQuery } from '../../engine/rest/rest-schemas.js';
import {
  contactInputSchema,
  ROOF_TYPES,
  SHADING_LEVELS,
  siteInputSchema,
  updateContactInputSchema,
  updateSiteInputSchema,
  type Contact,
  type Site,
} from './customer-schema.js';
import {
  addContact,
  addSite,
  getContact,
  getSite,
  listContacts,
  listSites,
  removeContact,
  removeSite,
  updateContact,
  updateSite,
} from './customer-service.js';

/*
 * /api/v1/contacts and /api/v1/sites: an account's people and places, through the customer services (so
 * they are visible exactly when their account is, and writing one needs the update right on the account).
 */

const accountId = z.uuid('Must be an account id').describe('The account it belongs to');

export const contactResourceSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  fullName: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  title: z.string().nullable(),
  isPrimary: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type ContactResource = z.output<typeof contactResourceSchema>;

export const siteResourceSchema = z.object({
  id: z.uuid(),
  accountId: z.uuid(),
  label: z.string(),
  street: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postalCode: z.string().nullable(),
  country: z.string().describe('ISO 3166-1 alpha-2'),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  utility: z.string().nullable(),
  meterNumber: z.string().nullable(),
  roofType: z.enum(ROOF_TYPES).nullable(),
  roofPitchDeg: z.number().nullable(),
  roofAzimuthDeg: z.number().nullable(),
  shading: z.enum(SHADING_LEVELS).nullable(),
  annualUsageKwh: z.number().nullable(),
  averageMonthlyBill: z.number().nullable().describe('In dollars'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type SiteResource = z.output<typeof siteResourceSchema>;

const childListQuery = (search: string) =>
  z.object({
    ...pageQuery,
    accountId: accountId.optional(),
    search: z.string().trim().max(100).optional().describe(search),
  });

const toContactResource = (c: Contact): ContactResource => ({
  ...c,
  createdAt: iso(c.createdAt),
  updatedAt: iso(c.updatedAt),
});
const toSiteResource = (s: Site): SiteResource => ({
  ...s,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

async function contactFound(rc: RequestContext, id: string): Promise<ContactResource | null> {
  const c = await getContact(rc, id);
  return c ? toContactResource(c) : null;
}
async function siteFound(rc: RequestContext, id: string): Promise<SiteResource | null> {
  const s = await getSite(rc, id);
  return s ? toSiteResource(s) : null;
}

/** The account id travels in the body of a create; the rest is the GraphQL input, validated by the service. */
const withAccount = (body: unknown) => {
  const { accountId: id, ...rest } = body as { accountId: string } & Record<string, unknown>;
  return { id, rest };
};

export const contactRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/contacts',
    operationId: 'listContacts',
    tag: 'Contacts',
    summary: 'Contacts of the accounts the caller can see, newest first',
    query: childListQuery('Last name or email prefix'),
    response: pageOf(contactResourceSchema),
    responseName: 'ContactPage',
    async handle(rc, { query }) {
      const conn = await listContacts(rc, {
        first: query.limit,
        after: query.after ?? null,
        filter: { accountId: query.accountId ?? null, search: query.search ?? null },
      });
      return toPage(conn, toContactResource);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/contacts/{id}',
    operationId: 'getContact',
    tag: 'Contacts',
    summary: 'One contact',
    response: contactResourceSchema,
    responseName: 'Contact',
    async handle(rc, { params }) {
      const contact = await contactFound(rc, params.id!);
      if (!contact) throw new NotFound('No such contact');
      return contact;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/contacts',
    operationId: 'createContact',
    tag: 'Contacts',
    summary: 'Add a contact to an account (making it primary demotes the others)',
    body: contactInputSchema.extend({ accountId }),
    response: contactResourceSchema,
    responseName: 'Contact',
    status: 201,
    async handle(rc, { body }) {
      const { id, rest } = withAccount(body);
      return toContactResource(await addContact(rc, id, rest));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/contacts/{id}',
    operationId: 'updateContact',
    tag: 'Contacts',
    summary: 'Change some of a contact’s fields',
    body: updateContactInputSchema,
    response: contactResourceSchema,
    responseName: 'Contact',
    current: (rc, params) => contactFound(rc, params.id!),
    async handle(rc, { params, body }) {
      return toContactResource(await updateContact(rc, params.id!, body));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/contacts/{id}',
    operationId: 'deleteContact',
    tag: 'Contacts',
    summary: 'Remove a contact from its account',
    status: 204,
    current: (rc, params) => contactFound(rc, params.id!),
    async handle(rc, { params }) {
      await removeContact(rc, params.id!);
      return null;
    },
  }),
];

export const siteRestRoutes: readonly RestRoute[] = [
  defineRoute({
    method: 'GET',
    path: '/sites',
    operationId: 'listSites',
    tag: 'Sites',
    summary: 'Sites of the accounts the caller can see, newest first',
    query: childListQuery('City or label prefix'),
    response: pageOf(siteResourceSchema),
    responseName: 'SitePage',
    async handle(rc, { query }) {
      const conn = await listSites(rc, {
        first: query.limit,
        after: query.after ?? null,
        filter: { accountId: query.accountId ?? null, search: query.search ?? null },
      });
      return toPage(conn, toSiteResource);
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/sites/{id}',
    operationId: 'getSite',
    tag: 'Sites',
    summary: 'One site',
    response: siteResourceSchema,
    responseName: 'Site',
    async handle(rc, { params }) {
      const site = await siteFound(rc, params.id!);
      if (!site) throw new NotFound('No such site');
      return site;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/sites',
    operationId: 'createSite',
    tag: 'Sites',
    summary: 'Add a site (address, geo, utility, roof) to an account',
    body: siteInputSchema.extend({ accountId }),
    response: siteResourceSchema,
    responseName: 'Site',
    status: 201,
    async handle(rc, { body }) {
      const { id, rest } = withAccount(body);
      return toSiteResource(await addSite(rc, id, rest));
    },
  }),
  defineRoute({
    method: 'PATCH',
    path: '/sites/{id}',
    operationId: 'updateSite',
    tag: 'Sites',
    summary: 'Change some of a site’s fields',
    body: updateSiteInputSchema,
    response: siteResourceSchema,
    responseName: 'Site',
    current: (rc, params) => siteFound(rc, params.id!),
    async handle(rc, { params, body }) {
      return toSiteResource(await updateSite(rc, params.id!, body));
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/sites/{id}',
    operationId: 'deleteSite',
    tag: 'Sites',
    summary: 'Remove a site from its account',
    status: 204,
    current: (rc, params) => siteFound(rc, params.id!),
    async handle(rc, { params }) {
      await removeSite(rc, params.id!);
      return null;
    },
  }),
];
