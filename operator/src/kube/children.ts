import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';
import type { TenantSpec } from '../tenant-spec.js';
import {
  credentialSecretName,
  migrationJobName,
  RUNTIME_NAME,
  RUNTIME_PORT,
  tenantLabels,
  tenantNamespace,
} from './names.js';

/**
 * The Kubernetes children a Tenant should have, as pure functions of the Tenant (controller-runtime's
 * "desired state"): the driver server-side-applies each one every pass, so whatever drifted — a deleted
 * Deployment, a hand-edited replica count — is put back, and an unchanged object costs no write.
 */
export interface ChildContext {
  name: string;
  tenantId: string;
  spec: TenantSpec;
  owner: V1OwnerReference;
  /** the operator's namespace: pooled tenants' Secrets and Jobs live there */
  operatorNamespace: string;
  images: { runtime: string };
  /** labels of the platform-api Pods, the only callers a dedicated runtime accepts */
  platformApiSelector: Record<string, string>;
  /** Secret (copied into the tenant namespace) with the runtime's platform settings: DATABASE_URL, keys */
  runtimeEnvSecret: string;
  /** spec.runtime.resources as written (the shared spec schema does not carry it) */
  resources?: unknown;
  /** the runtime version the Deployment runs: the spec's once its migrations are in, the old one until then */
  runningVersion?: string;
  /**
   * The pooled runtime can serve this tenant while it is suspended (it reads the tenant's sealed credentials
   * from the registry, which needs PLATFORM_SECRET_KEY on the operator, and enforces read-only/blocked
   * itself), so a suspended dedicated runtime scales to zero in either suspendMode.
   */
  poolServesSuspended?: boolean;
  /** the live Deployment's replica count, if it exists: the HPA's decision to keep */
  liveReplicas?: number;
}

type Obj = KubernetesObject & Record<string, unknown>;

const meta = (c: ChildContext, name: string, namespace?: string) => ({
  name,
  ...(namespace ? { namespace } : {}),
  labels: { ...tenantLabels(c.name), 'app.kubernetes.io/part-of': 'solar-crm' },
  ownerReferences: [c.owner],
});

/** Where the tenant's own objects live: its namespace when dedicated, the operator's when pooled. */
export const homeNamespace = (c: Pick<ChildContext, 'spec' | 'operatorNamespace'>) =>
  c.spec.isolation === 'dedicated' ? tenantNamespace(c.spec.slug) : c.operatorNamespace;

export const runtimeImage = (c: Pick<ChildContext, 'images' | 'spec'>) =>
  `${c.images.runtime}:${c.spec.runtime.version}`;

/** The dedicated runtime's in-cluster URL (the routing entry platform-api forwards to). */
export const dedicatedEndpoint = (slug: string) =>
  `http://${RUNTIME_NAME}.${tenantNamespace(slug)}.svc:${RUNTIME_PORT}`;

export function namespaceFor(c: ChildContext): Obj {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: meta(c, tenantNamespace(c.spec.slug)) };
}

/**
 * One Job per runtime version: the runtime image of that version applies its own tenant migrations as the
 * tenant's DB user (credentials from the tenant's Secret). The name carries the version, so an upgrade makes
 * a new Job and a finished one is never re-run.
 */
export function migrationJob(c: ChildContext): Obj {
  const ns = homeNamespace(c);
  const labels = { ...tenantLabels(c.name), 'app.kubernetes.io/component': 'tenant-migration' };
  const secret = credentialSecretName(c.name);
  const fromSecret = (key: string) => ({ secretKeyRef: { name: secret, key } });
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { ...meta(c, migrationJobName(c.name, c.spec.runtime.version), ns), labels },
    spec: {
      backoffLimit: 6,
      ttlSecondsAfterFinished: 7 * 24 * 3600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'OnFailure',
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'migrate',
              image: runtimeImage(c),
              command: ['node', '--import', '/opt/tsx/node_modules/tsx/dist/loader.mjs'],
              args: ['tenant-runtime/src/db/migrate-job.ts'],
              env: [
                { name: 'TENANT_ID', value: c.tenantId },
                { name: 'DB_HOST', valueFrom: fromSecret('host') },
                { name: 'DB_PORT', valueFrom: fromSecret('port') },
                { name: 'DB_USER', valueFrom: fromSecret('username') },
                { name: 'DB_NAME', valueFrom: fromSecret('database') },
                { name: 'DB_PASSWORD', valueFrom: fromSecret('password') },
              ],
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
            },
          ],
        },
      },
    },
  };
}

const runtimeLabels = (c: ChildContext) => ({
  ...tenantLabels(c.name),
  'app.kubernetes.io/name': RUNTIME_NAME,
});

/**
 * Replicas from the spec; none while suspended — in ReadOnly mode only when the pooled runtime serves the
 * reads meanwhile (`poolServesSuspended`), else ReadOnly keeps the dedicated runtime up for its reads.
 */
export const desiredReplicas = (c: Pick<ChildContext, 'spec' | 'poolServesSuspended'>) =>
  c.spec.suspended && (c.spec.suspendMode === 'Blocked' || c.poolServesSuspended)
    ? 0
    : c.spec.runtime.replicas;

/** Whether a dedicated tenant's traffic goes to the pooled runtime right now because it is suspended. */
export const suspendedToPool = (c: Pick<ChildContext, 'spec' | 'poolServesSuspended'>) =>
  c.spec.suspended && Boolean(c.poolServesSuspended);

/** The HPA's range: from the spec's replicas up to twice as many (at least one more). */
export const autoscaleRange = (spec: TenantSpec) => ({
  min: spec.runtime.replicas,
  max: Math.max(spec.runtime.replicas * 2, spec.runtime.replicas + 1),
});

/**
 * The dedicated runtime's objects: `present` to apply, `absent` to delete. The HPA is absent while the
 * runtime is scaled to zero, so it cannot scale a suspended runtime back up (minReplicas is at least 1).
 * While it runs, the Deployment keeps whatever replica count the HPA chose within its range (applying the
 * spec's count would undo every scale-up); a count outside the range is clamped back into it.
 */
export function dedicatedChildren(c: ChildContext): { present: Obj[]; absent: Obj[] } {
  const ns = tenantNamespace(c.spec.slug);
  const labels = runtimeLabels(c);
  const range = autoscaleRange(c.spec);
  const replicas =
    desiredReplicas(c) === 0 ? 0 : Math.min(range.max, Math.max(range.min, c.liveReplicas || range.min));
  const resources = c.resources ?? {
    requests: { cpu: '250m', memory: '384Mi' },
    limits: { memory: '1Gi' },
  };
  const deployment: Obj = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(c, RUNTIME_NAME, ns),
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            seccompProfile: { type: 'RuntimeDefault' },
          },
          containers: [
            {
              name: 'runtime',
              image: `${c.images.runtime}:${c.runningVersion ?? c.spec.runtime.version}`,
              ports: [{ name: 'http', containerPort: RUNTIME_PORT }],
              env: [
                { name: 'MODE', value: 'dedicated' },
                { name: 'TENANT_ID', value: c.tenantId },
                { name: 'PORT', value: String(RUNTIME_PORT) },
              ],
              envFrom: [{ secretRef: { name: c.runtimeEnvSecret, optional: false } }],
              readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10 },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ['ALL'] },
              },
              resources,
            },
          ],
        },
      },
    },
  };
  const service: Obj = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(c, RUNTIME_NAME, ns),
    spec: { selector: labels, ports: [{ name: 'http', port: RUNTIME_PORT, targetPort: 'http' }] },
  };
  const networkPolicy: Obj = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(c, `${RUNTIME_NAME}-ingress`, ns),
    spec: {
      podSelector: { matchLabels: labels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': c.operatorNamespace } },
              podSelector: { matchLabels: c.platformApiSelector },
            },
          ],
          ports: [{ protocol: 'TCP', port: RUNTIME_PORT }],
        },
      ],
    },
  };
  const quota: Obj = {
    apiVersion: 'v1',
    kind: 'ResourceQuota',
    metadata: meta(c, 'tenant-quota', ns),
    spec: { hard: planQuota(c.spec) },
  };
  const pdb: Obj = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(c, RUNTIME_NAME, ns),
    spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
  };
  const hpa: Obj = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta(c, RUNTIME_NAME, ns),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: RUNTIME_NAME },
      minReplicas: range.min,
      maxReplicas: range.max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } },
        },
      ],
    },
  };
  const always = [deployment, service, networkPolicy, quota, pdb];
  return replicas === 0 ? { present: always, absent: [hpa] } : { present: [...always, hpa], absent: [] };
}

/** A Deployment that has caught up with its spec and has at least one Pod serving. */
export function runtimeAvailable(
  dep: {
    metadata?: { generation?: number };
    status?: { observedGeneration?: number; availableReplicas?: number };
  } | null,
): boolean {
  if (!dep) return false;
  return (
    (dep.status?.observedGeneration ?? 0) >= (dep.metadata?.generation ?? 1) &&
    (dep.status?.availableReplicas ?? 0) >= 1
  );
}

/** Namespace ceilings by plan: room for twice the runtime's replicas at its limits, plus migration Jobs. */
function planQuota(spec: TenantSpec): Record<string, string> {
  const pods = spec.runtime.replicas * 2 + 4;
  const perPod = { starter: 1, growth: 2, enterprise: 4 }[spec.plan];
  return {
    pods: String(pods),
    'requests.cpu': String(pods * perPod * 0.5),
    'limits.memory': `${pods * perPod * 2}Gi`,
  };
}
