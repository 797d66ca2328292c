import { createHash } from 'node:crypto';
import type { V1OwnerReference } from '@kubernetes/client-node';
import { tenantIdPattern } from '../tenant-spec.js';

/** Names, labels and owner references every Kubernetes object the operator makes is built from. */

export const GROUP = 'solarcrm.io';
export const VERSION = 'v1alpha1';
export const PLURAL = 'tenants';
export const TENANT_API_VERSION = `${GROUP}/${VERSION}`;
export const FIELD_MANAGER = 'solar-crm-operator';
export const FINALIZER = 'tenants.solarcrm.io/cleanup';
/** Set by hand to adopt a registry row that already exists (e.g. a tenant signup created locally). */
export const TENANT_ID_ANNOTATION = 'solarcrm.io/tenant-id';
export const TENANT_LABEL = 'solarcrm.io/tenant';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': FIELD_MANAGER } as const;
export const MANAGED_SELECTOR = `app.kubernetes.io/managed-by=${FIELD_MANAGER}`;
export const RUNTIME_PORT = 4100;

/**
 * The tenant id (schema and DB user `t_<id>`): the annotation when someone set one, otherwise derived from
 * the object's uid, so it is stable across operator restarts without the operator writing it anywhere, and a
 * Tenant re-created under the same slug gets a new id (the registry then refuses the taken slug).
 */
export function tenantIdFor(meta: { uid?: string; annotations?: Record<string, string> }): string {
  const pinned = meta.annotations?.[TENANT_ID_ANNOTATION];
  if (pinned && tenantIdPattern.test(pinned)) return pinned;
  if (!meta.uid) throw new Error('a Tenant without metadata.uid has no id yet');
  const digest = createHash('sha256').update(meta.uid).digest();
  let n = BigInt(`0x${digest.subarray(0, 10).toString('hex')}`);
  let id = '';
  for (let i = 0; i < 12; i++) {
    id += '0123456789abcdefghijklmnopqrstuvwxyz'[Number(n % 36n)];
    n /= 36n;
  }
  return id;
}

export const tenantNamespace = (slug: string) => `tenant-${slug}`;
export const credentialSecretName = (name: string) => `tenant-${name}-db`;
export const RUNTIME_NAME = 'tenant-runtime';

/** DNS-label-safe Job name for one runtime version: `<tenant>-migrate-<version>-<hash>`, ≤ 63 chars. */
export function migrationJobName(name: string, version: string): string {
  const safe = version
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const hash = createHash('sha256').update(version).digest('hex').slice(0, 6);
  const head = `tenant-${name}-migrate-`.slice(0, 40);
  return `${head}${safe.slice(0, 63 - head.length - 7)}-${hash}`.replace(/-+/g, '-');
}

export function tenantLabels(name: string): Record<string, string> {
  return { ...MANAGED_BY, [TENANT_LABEL]: name };
}

/** Cluster-scoped owner → namespaced or cluster-scoped child: Kubernetes collects the child after the Tenant. */
export function ownerRef(tenant: { metadata?: { name?: string; uid?: string } }): V1OwnerReference {
  return {
    apiVersion: TENANT_API_VERSION,
    kind: 'Tenant',
    name: tenant.metadata?.name ?? '',
    uid: tenant.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
