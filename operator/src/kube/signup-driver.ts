import { CustomObjectsApi, PatchStrategy, setHeaderOptions, type KubeConfig } from '@kubernetes/client-node';
import { isNotFound } from './kube-api.js';
import { GROUP, PLURAL, TENANT_API_VERSION, TENANT_ID_ANNOTATION, VERSION, tenantIdFor } from './names.js';
import type {
  DriverSpec,
  DriverTenant,
  TenantDriver,
} from '@solar/platform-api/platform-graphql/tenant-driver';
import type { TenantResource } from './tenant-resource.js';

/**
 * Self-service signup in a cluster: platform-api writes a Tenant resource (as a platform admin would with
 * kubectl) and waits for the operator to report it Ready; it never touches the database or Kubernetes
 * children itself. Shaped like the local driver's apply/delete/get, which is all signup needs.
 */

const tenantGvp = { group: GROUP, version: VERSION, plural: PLURAL } as const;
/** platform-api's own field manager: what it wrote stays distinguishable from kubectl's and the operator's */
export const SIGNUP_FIELD_MANAGER = 'solar-crm-platform-api';
const applyPatch = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

/** The driver shape platform-api's signup asks for (apply/delete/get), implemented over Tenant resources. */
export type KubernetesSignupDriver = TenantDriver;

export function createKubernetesSignupDriver(options: {
  kubeConfig: KubeConfig;
  /** how long a signup waits for the operator (the person is looking at a spinner) */
  settleTimeoutMs?: number;
  pollMs?: number;
}): KubernetesSignupDriver {
  const custom = options.kubeConfig.makeApiClient(CustomObjectsApi);
  const settleTimeoutMs = options.settleTimeoutMs ?? 60_000;
  const pollMs = options.pollMs ?? 200;

  const read = async (name: string): Promise<TenantResource | null> => {
    try {
      return (await custom.getClusterCustomObject({ ...tenantGvp, name })) as TenantResource;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  };

  const describe = (res: TenantResource, deletedAt: Date | null = null): DriverTenant => {
    const status = (res.status ?? {}) as { phase?: string; lastError?: string | null };
    const spec = (res.spec ?? {}) as DriverSpec;
    return {
      id: tenantIdFor(res.metadata ?? {}),
      slug: spec.slug,
      spec,
      status: { phase: status.phase ?? 'Pending', lastError: status.lastError ?? null },
      deletedAt,
    };
  };

  /** Polls until `settled` holds or the deadline passes; returns the last reading either way. */
  const until = async <T>(readOnce: () => Promise<T>, settled: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + settleTimeoutMs;
    for (;;) {
      const value = await readOnce();
      if (settled(value) || Date.now() >= deadline) return value;
      await new Promise((r) => setTimeout(r, pollMs));
    }
  };

  return {
    async apply(spec, opts = {}) {
      const body = {
        apiVersion: TENANT_API_VERSION,
        kind: 'Tenant',
        metadata: {
          name: spec.slug,
          ...(opts.id ? { annotations: { [TENANT_ID_ANNOTATION]: opts.id } } : {}),
        },
        spec,
      };
      const applied = (await custom.patchClusterCustomObject(
        { ...tenantGvp, name: spec.slug, body, fieldManager: SIGNUP_FIELD_MANAGER, force: true },
        applyPatch,
      )) as TenantResource;
      const generation = applied.metadata?.generation ?? 1;
      const settled = await until(
        () => read(spec.slug),
        (res) => {
          const status = (res?.status ?? {}) as { phase?: string; observedGeneration?: number };
          return (
            res === null ||
            ((status.observedGeneration ?? 0) >= generation &&
              (status.phase === 'Ready' || status.phase === 'Failed'))
          );
        },
      );
      if (!settled) throw new Error(`Tenant ${spec.slug} disappeared while it was being set up`);
      const tenant = describe(settled);
      if (tenant.status.phase !== 'Ready' && tenant.status.phase !== 'Failed' && !tenant.status.lastError)
        tenant.status.lastError = `not Ready within ${Math.round(settleTimeoutMs / 1000)} s`;
      return tenant;
    },

    async delete(slug) {
      const before = await read(slug);
      if (!before) throw new Error(`no Tenant ${slug}`);
      try {
        await custom.deleteClusterCustomObject({ ...tenantGvp, name: slug, propagationPolicy: 'Background' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      const after = await until(
        () => read(slug),
        (res) => res === null,
      );
      return after === null ? describe(before, new Date()) : describe(after);
    },

    async get(slug) {
      const res = await read(slug);
      return res ? describe(res) : null;
    },
  };
}
