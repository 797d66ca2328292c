import { error } from '@sveltejs/kit';
import { AUDIT_LOG_QUERY } from '$lib/access/access-documents';
import { serverGraphql } from '$lib/server/graphql';
import { auditLogDataSchema } from '$lib/server/access-schemas';
import type { PageServerLoad } from './$types';

const STEP = 50;
/** The API answers at most 200 entries and has no cursor yet: pages grow by 50 up to that. */
const MAX = 200;
/** access changes, then the records whose every change is logged with the fields before and after */
const TYPES = [
  'member',
  'role',
  'org_unit',
  'Lead',
  'Account',
  'Contact',
  'Site',
  'Opportunity',
  'Proposal',
  'Activity',
] as const;

export const load: PageServerLoad = async (event) => {
  const { canManage } = await event.parent();
  if (!canManage) error(404, { code: 'NOT_FOUND', message: 'Only administrators can read the audit log.' });
  const params = event.url.searchParams;
  const shown = Math.min(MAX, Math.max(STEP, Math.ceil(Number(params.get('show')) / STEP) * STEP || STEP));
  const typeParam = params.get('type');
  const entityType = TYPES.find((t) => t === typeParam) ?? null;
  // one extra tells whether there is more
  const data = await serverGraphql(
    event,
    AUDIT_LOG_QUERY,
    { first: Math.min(MAX, shown + 1), entityType },
    auditLogDataSchema,
  );
  const names = Object.fromEntries(data.members.map((m) => [m.id, m.displayName]));
  return {
    entries: data.accessAuditLog.slice(0, shown),
    hasMore: data.accessAuditLog.length > shown && shown < MAX,
    shown,
    nextShow: Math.min(MAX, shown + STEP),
    entityType,
    types: TYPES,
    names,
  };
};
