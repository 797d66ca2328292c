import type { Knex } from '@solar/common';
import type { Caller, RequestContext } from '../context.js';
import { createDataAccess } from '../data/data-access.js';
import type { Actor } from '../data/scope.js';
import type { TenantDirectory } from '../tenancy/tenant-directory.js';

/** Turns a caller into a member with their current permissions (modules/access's resolver). */
export type ResolveActor = (
  db: Knex,
  tenantId: string,
  caller: Caller,
  options: { readOnly: boolean; requestId: string | null },
) => Promise<Actor>;

export interface ViewerContextDeps {
  directory: TenantDirectory;
  resolveActor: ResolveActor;
  scopedTables: readonly string[];
}

/**
 * A request context for `caller` built afresh, as a new request would: the tenant re-resolved (suspended,
 * blocked, deleted apply), the member's permissions re-read (a role change or a disabled member applies),
 * and a new row-scoped DataAccess on the tenant's guarded pool. Long-lived readers (subscriptions, webhook
 * deliveries) call it for every batch of changes instead of trusting what was true when they started.
 * Reading only: the member is never created here, and writes are refused.
 */
export async function viewerContext(
  deps: ViewerContextDeps,
  base: Pick<RequestContext, 'caller' | 'requestId' | 'log'>,
): Promise<RequestContext> {
  const tenant = await deps.directory.connect(base.caller.tenantId);
  const actor = await deps.resolveActor(tenant.db, tenant.id, base.caller, {
    readOnly: true,
    requestId: base.requestId,
  });
  return {
    requestId: base.requestId,
    log: base.log,
    caller: base.caller,
    tenant: { id: tenant.id, slug: tenant.slug, readOnly: true },
    actor,
    data: createDataAccess({
      db: tenant.db,
      tenantId: tenant.id,
      actor,
      readOnly: true,
      scopedTables: deps.scopedTables,
    }),
  };
}
