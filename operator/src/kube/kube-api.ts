import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type V1Deployment,
  type V1Job,
  type V1Secret,
} from '@kubernetes/client-node';
import { FIELD_MANAGER, GROUP, PLURAL, VERSION } from './names.js';
import type { TenantResource } from './tenant-resource.js';

const tenantGvp = { group: GROUP, version: VERSION, plural: PLURAL } as const;
const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const jsonPatch = setHeaderOptions('Content-Type', PatchStrategy.JsonPatch);

export const isNotFound = (err: unknown) => err instanceof ApiException && err.code === 404;
export const isConflict = (err: unknown) => err instanceof ApiException && err.code === 409;

/** A short, secret-free description of an API error for logs, status and metrics. */
export function describeApiError(err: unknown): string {
  if (err instanceof ApiException) {
    const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
    const message = (body as { message?: string } | undefined)?.message;
    return `Kubernetes API ${err.code}${message ? `: ${message}` : ''}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/**
 * KubernetesObjectApi serializes a body through the client's model classes, whose property names are not
 * always the wire names (NetworkPolicy's `from` is `_from`): a wire-format object would silently lose such
 * fields — a NetworkPolicy without `from` admits every source. So wire-format objects are first read into
 * the models (JSON is YAML; loadYaml picks the model from apiVersion/kind), which serialize back exactly.
 */
const asModel = <T extends KubernetesObject>(obj: T): T => loadYaml<T>(JSON.stringify(obj));

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The Kubernetes calls the driver makes, in one place (client-node 1.4 call shapes). */
export interface KubeApi {
  /** server-side apply as `solar-crm-operator`, forcing ownership of the fields we set */
  apply<T extends KubernetesObject>(obj: T): Promise<T>;
  /** deletes if present (404 is success) */
  remove(obj: KubernetesObject): Promise<void>;
  listTenants(): Promise<{ items: TenantResource[]; metadata?: { resourceVersion?: string } }>;
  getTenant(name: string): Promise<TenantResource | null>;
  /** replaces status through the /status subresource (JSON patch, so explicit nulls stay null) */
  patchTenantStatus(name: string, status: Record<string, unknown>): Promise<TenantResource>;
  /** replaces metadata.finalizers, conditional on the resourceVersion the change was computed from */
  setTenantFinalizers(name: string, finalizers: string[], resourceVersion: string): Promise<TenantResource>;
  readSecret(namespace: string, name: string): Promise<V1Secret | null>;
  createSecret(namespace: string, body: V1Secret): Promise<V1Secret>;
  /** merge patch conditional on resourceVersion (409 when someone else wrote first) */
  patchSecret(namespace: string, name: string, patch: object): Promise<V1Secret>;
  deleteSecret(namespace: string, name: string): Promise<void>;
  readJob(namespace: string, name: string): Promise<V1Job | null>;
  readDeployment(namespace: string, name: string): Promise<V1Deployment | null>;
  core: CoreV1Api;
}

export function createKubeApi(kc: KubeConfig): KubeApi {
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(CustomObjectsApi);
  const core = kc.makeApiClient(CoreV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const apps = kc.makeApiClient(AppsV1Api);
  const orNull = async <T>(p: Promise<T>): Promise<T | null> => {
    try {
      return await p;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  };
  return {
    core,
    apply: (obj) =>
      objects.patch(asModel(obj), undefined, undefined, FIELD_MANAGER, true, PatchStrategy.ServerSideApply),
    async remove(obj) {
      await orNull(objects.delete(obj, undefined, undefined, undefined, undefined, 'Background'));
    },
    listTenants: () =>
      custom.listClusterCustomObject(tenantGvp) as Promise<{
        items: TenantResource[];
        metadata?: { resourceVersion?: string };
      }>,
    getTenant: (name) =>
      orNull(custom.getClusterCustomObject({ ...tenantGvp, name }) as Promise<TenantResource>),
    patchTenantStatus: (name, status) =>
      custom.patchClusterCustomObjectStatus(
        {
          ...tenantGvp,
          name,
          body: [{ op: 'add', path: '/status', value: status }],
          fieldManager: FIELD_MANAGER,
        },
        jsonPatch,
      ) as Promise<TenantResource>,
    setTenantFinalizers: (name, finalizers, resourceVersion) =>
      custom.patchClusterCustomObject(
        {
          ...tenantGvp,
          name,
          body: { metadata: { finalizers, resourceVersion } },
          fieldManager: FIELD_MANAGER,
        },
        mergePatch,
      ) as Promise<TenantResource>,
    readSecret: (namespace, name) => orNull(core.readNamespacedSecret({ namespace, name })),
    createSecret: (namespace, body) =>
      core.createNamespacedSecret({ namespace, body, fieldManager: FIELD_MANAGER }),
    patchSecret: (namespace, name, patch) =>
      core.patchNamespacedSecret({ namespace, name, body: patch, fieldManager: FIELD_MANAGER }, mergePatch),
    async deleteSecret(namespace, name) {
      await orNull(core.deleteNamespacedSecret({ namespace, name }));
    },
    // the main endpoint carries status too, and needs no RBAC grant on jobs/status
    readJob: (namespace, name) => orNull(batch.readNamespacedJob({ namespace, name })),
    readDeployment: (namespace, name) => orNull(apps.readNamespacedDeployment({ namespace, name })),
  };
}
