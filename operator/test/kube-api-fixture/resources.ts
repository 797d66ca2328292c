import type { ResourceName } from './api-status.js';
import { compileSchema, type StructuralSchema } from './structural-schema.js';

/** One served resource type: enough to route, discover, and apply its semantics. */
export interface ResourceType extends ResourceName {
  version: string;
  plural: string;
  namespaced: boolean;
  /** PUT/PATCH on the main endpoint leave status alone; /status changes only status */
  statusSubresource: boolean;
  /** Custom resources refuse an update without metadata.resourceVersion (built-ins allow it). */
  requireResourceVersionOnUpdate: boolean;
  shortNames: string[];
  schema?: StructuralSchema;
}

export const apiVersionOf = (r: ResourceType) => (r.group ? `${r.group}/${r.version}` : r.version);

function builtin(
  group: string,
  version: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  statusSubresource: boolean,
): ResourceType {
  return {
    group,
    version,
    plural,
    kind,
    namespaced,
    statusSubresource,
    requireResourceVersionOnUpdate: false,
    shortNames: [],
    qualified: group ? `${plural}.${group}` : plural,
  };
}

/** The built-in types the operator touches (and nothing else, so a typo'd path fails loudly). */
export const builtinResources: ResourceType[] = [
  builtin('', 'v1', 'namespaces', 'Namespace', false, true),
  builtin('', 'v1', 'secrets', 'Secret', true, false),
  builtin('', 'v1', 'configmaps', 'ConfigMap', true, false),
  builtin('', 'v1', 'services', 'Service', true, true),
  builtin('', 'v1', 'events', 'Event', true, false),
  builtin('', 'v1', 'resourcequotas', 'ResourceQuota', true, true),
  builtin('apps', 'v1', 'deployments', 'Deployment', true, true),
  builtin('batch', 'v1', 'jobs', 'Job', true, true),
  builtin('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, false),
  builtin('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', true, true),
  builtin('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, true),
  builtin('coordination.k8s.io', 'v1', 'leases', 'Lease', true, false),
];

/** The subset of apiextensions.k8s.io/v1 CustomResourceDefinition the fixture reads. */
export interface CrdObject {
  spec: {
    group: string;
    scope: 'Cluster' | 'Namespaced';
    names: { kind: string; plural: string; shortNames?: string[] };
    versions: {
      name: string;
      served: boolean;
      subresources?: { status?: object };
      schema?: { openAPIV3Schema: Record<string, unknown> };
    }[];
  };
}

export function resourcesFromCrd(crd: CrdObject): ResourceType[] {
  const { group, scope, names } = crd.spec;
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v) => ({
      group,
      version: v.name,
      plural: names.plural,
      kind: names.kind,
      namespaced: scope === 'Namespaced',
      statusSubresource: v.subresources?.status !== undefined,
      requireResourceVersionOnUpdate: true,
      shortNames: names.shortNames ?? [],
      qualified: `${names.plural}.${group}`,
      ...(v.schema ? { schema: compileSchema(v.schema.openAPIV3Schema) } : {}),
    }));
}
