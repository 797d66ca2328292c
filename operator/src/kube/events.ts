import type { CoreV1Api } from '@kubernetes/client-node';
import type { Logger } from '@solar/common';
import { findCondition } from '../reconciler/conditions.js';
import type { ConditionType, TenantStatus } from '../tenant-spec.js';
import { FIELD_MANAGER, TENANT_API_VERSION } from './names.js';
import type { TenantResource } from './tenant-resource.js';

export interface TenantEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

const flippedTrue = (prev: TenantStatus, next: TenantStatus, type: ConditionType) =>
  findCondition(next.conditions, type)?.status === 'True' &&
  findCondition(prev.conditions, type)?.status !== 'True';

/**
 * The Events one status change deserves, derived from the before/after pair alone (so a re-run that changes
 * nothing records nothing): Provisioning, DatabaseReady, Migrated, Ready, Suspended/Resumed, Deleting, and a
 * Warning carrying the failing condition's reason whenever the tenant enters Failed or fails differently.
 */
export function transitionEvents(prev: TenantStatus, next: TenantStatus): TenantEvent[] {
  const out: TenantEvent[] = [];
  const msg = (type: ConditionType) => findCondition(next.conditions, type)?.message ?? '';
  if (next.phase === 'Provisioning' && prev.phase !== 'Provisioning')
    out.push({
      type: 'Normal',
      reason: 'Provisioning',
      message: 'creating the tenant database, user and runtime',
    });
  if (flippedTrue(prev, next, 'DatabaseReady'))
    out.push({ type: 'Normal', reason: 'DatabaseReady', message: msg('DatabaseReady') });
  if (flippedTrue(prev, next, 'Migrated'))
    out.push({ type: 'Normal', reason: 'Migrated', message: msg('Migrated') });
  if (flippedTrue(prev, next, 'Ready')) out.push({ type: 'Normal', reason: 'Ready', message: msg('Ready') });
  if (flippedTrue(prev, next, 'Suspended'))
    out.push({ type: 'Normal', reason: 'Suspended', message: msg('Suspended') });
  if (
    findCondition(prev.conditions, 'Suspended')?.status === 'True' &&
    findCondition(next.conditions, 'Suspended')?.status === 'False'
  )
    out.push({ type: 'Normal', reason: 'Resumed', message: 'tenant is active again' });
  if (next.phase === 'Deleting' && prev.phase !== 'Deleting')
    out.push({ type: 'Normal', reason: 'Deleting', message: 'running the deletion policy' });
  if ((next.phase === 'Failed' || next.lastError) && next.lastError !== prev.lastError && next.lastError) {
    const failing = next.conditions.find((c) => c.status === 'False' && c.reason.endsWith('Failed'));
    out.push({ type: 'Warning', reason: failing?.reason ?? 'Failed', message: next.lastError });
  }
  return out;
}

export interface EventRecorder {
  record(tenant: TenantResource, event: TenantEvent): Promise<void>;
}

/**
 * core/v1 Events about Tenants. A cluster-scoped object's Events go to `default`, where `kubectl describe tnt`
 * looks for them. Recording is best effort: a failed Event never fails a reconcile.
 */
export function createEventRecorder(core: CoreV1Api, identity: string, logger: Logger): EventRecorder {
  return {
    async record(tenant, e) {
      const now = new Date();
      const name = tenant.metadata?.name ?? 'tenant';
      try {
        await core.createNamespacedEvent({
          namespace: 'default',
          body: {
            metadata: {
              name: `${name}.${now.getTime().toString(16)}${Math.random().toString(16).slice(2, 6)}`,
            },
            involvedObject: {
              apiVersion: TENANT_API_VERSION,
              kind: 'Tenant',
              name,
              uid: tenant.metadata?.uid,
              resourceVersion: tenant.metadata?.resourceVersion,
            },
            type: e.type,
            reason: e.reason,
            message: e.message.slice(0, 1024),
            count: 1,
            firstTimestamp: now,
            lastTimestamp: now,
            source: { component: FIELD_MANAGER },
            reportingComponent: FIELD_MANAGER,
            reportingInstance: identity,
          },
        });
      } catch (err) {
        logger.warn({ err, tenant: name, reason: e.reason }, 'could not record event');
      }
    },
  };
}
