import { DIRECTORY_QUERY } from '$lib/access/access-documents';
import { directoryDataSchema } from '$lib/server/access-schemas';
import { serverGraphql } from '$lib/server/graphql';
import { WEBHOOKS_QUERY, webhooksDataSchema } from '$lib/webhooks/webhooks';
import { requireManager } from '../require-manager';
import type { PageServerLoad } from './$types';

/** The workspace's outbound webhooks: where changes are posted, what each hears about, how deliveries went. */
export const load: PageServerLoad = async (event) => {
  await requireManager(event);
  const [{ webhooks }, directory] = await Promise.all([
    serverGraphql(event, WEBHOOKS_QUERY, {}, webhooksDataSchema),
    serverGraphql(event, DIRECTORY_QUERY, {}, directoryDataSchema),
  ]);
  return { webhooks, memberNames: Object.fromEntries(directory.members.map((m) => [m.id, m.displayName])) };
};
