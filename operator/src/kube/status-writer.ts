import type { Knex } from '@solar/common';
import { createLocalStatusWriter } from '../local/status-writer.js';
import type { StatusWriter } from '../reconciler/types.js';
import type { TenantStatus } from '../tenant-spec.js';
import { retainCredentialSecret } from './credential-store.js';
import { isConflict, type KubeApi } from './kube-api.js';
import { FINALIZER } from './names.js';

/**
 * Status goes to two places: the Tenant's /status subresource (what kubectl shows; the Secret reference is
 * added here) and the platform registry row (what platform-api and the runtimes read — phase, schema, user).
 * The registry is written first: it is what serves traffic. `finalize` soft-deletes the registry row, keeps
 * the credentials Secret when the policy is Retain, then removes our finalizer so Kubernetes can delete the
 * Tenant and collect its children.
 */
export function createKubeStatusWriter(
  api: KubeApi,
  platformDb: Knex,
  tenantName: string,
  secretRef: { name: string; namespace: string },
  operatorNamespace: string,
  onWrite?: (status: TenantStatus) => void,
): StatusWriter {
  const registry = createLocalStatusWriter(platformDb);
  return {
    async write(tenant, status) {
      await registry.write(tenant, status);
      await api.patchTenantStatus(tenantName, {
        ...status,
        database: status.database ? { ...status.database, secretRef } : null,
      });
      onWrite?.(status);
    },
    async finalize(tenant) {
      await registry.finalize(tenant);
      if (tenant.spec.deletionPolicy === 'Retain')
        await retainCredentialSecret(api, secretRef, tenantName, operatorNamespace);
      for (let attempt = 0; attempt < 5; attempt++) {
        const live = await api.getTenant(tenantName);
        const finalizers = live?.metadata?.finalizers ?? [];
        if (!live || !finalizers.includes(FINALIZER)) return;
        try {
          await api.setTenantFinalizers(
            tenantName,
            finalizers.filter((f) => f !== FINALIZER),
            live.metadata?.resourceVersion ?? '',
          );
          return;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
      throw new Error('could not remove the finalizer: the Tenant kept changing');
    },
  };
}
