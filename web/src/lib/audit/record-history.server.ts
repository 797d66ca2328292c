import type { RequestEvent } from '@sveltejs/kit';
import { canAll } from '$lib/access/permissions';
import { serverGraphql } from '$lib/server/graphql';
import { RECORD_HISTORY_QUERY, recordHistorySchema, type HistoryEntry } from './record-history';

/**
 * A record's audit history for its page, or null for viewers who may not read the audit log (it is for
 * administrators, access:manage:all, as the API says).
 */
export async function recordHistory(
  event: RequestEvent,
  permissions: readonly string[],
  type: 'Lead' | 'Account' | 'Opportunity',
  id: string,
): Promise<HistoryEntry[] | null> {
  if (!canAll(permissions, 'access', 'manage')) return null;
  return (await serverGraphql(event, RECORD_HISTORY_QUERY, { type, id }, recordHistorySchema)).accessAuditLog;
}
