import { ValidationFailed } from '@solar/common';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../../engine/context.js';
import { decodeCursor, toConnection, type Connection } from '../../engine/graphql/connection.js';
import { UUID } from '../../engine/validation/fields.js';
import { leadRepository } from './lead-repository.js';
import { createLeadInputSchema, listLeadsArgsSchema, type Lead } from './lead-schema.js';

/** Lead use cases. Input is validated here (zod) before anything is written; resolvers only translate. */

export async function createLead(rc: RequestContext, rawInput: unknown): Promise<Lead> {
  const parsed = createLeadInputSchema.safeParse(rawInput);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error, ['input']);
  const repo = leadRepository(rc.data);
  // UUIDv7: time-ordered, so the primary key doubles as the newest-first sort key
  const id = uuidv7();
  await repo.insert(id, parsed.data, rc.caller.userId);
  const lead = await repo.findById(id);
  if (!lead) throw new Error('lead vanished right after insert');
  rc.log.info({ leadId: id }, 'lead created');
  return lead;
}

/** null when the lead does not exist or is outside the caller's scope — the two look the same. */
export async function getLead(rc: RequestContext, id: string): Promise<Lead | null> {
  if (!UUID.test(id)) return null;
  return leadRepository(rc.data).findById(id);
}

export async function listLeads(rc: RequestContext, rawArgs: unknown): Promise<Connection<Lead>> {
  const parsed = listLeadsArgsSchema.safeParse(rawArgs);
  if (!parsed.success) throw ValidationFailed.fromZod(parsed.error);
  const { first, after, filter } = parsed.data;
  const afterId = after ? decodeCursor(after) : undefined;
  const page = await leadRepository(rc.data).list({
    first,
    ...(afterId ? { afterId } : {}),
    ...(filter?.status ? { statuses: filter.status } : {}),
    ...(filter?.search ? { search: filter.search } : {}),
  });
  return toConnection(page.leads, { hasNextPage: page.hasNextPage, after, totalCount: page.totalCount });
}
