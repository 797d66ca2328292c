import { describe, expect, it } from 'vitest';
import { tenantSpecSchema, type TenantSpecInput } from '../tenant-spec.js';
import { dedicatedChildren, desiredReplicas, runtimeAvailable, type ChildContext } from './children.js';

const ctx = (spec: Partial<TenantSpecInput>, poolServesSuspended: boolean): ChildContext => ({
  name: 'acme',
  tenantId: 'abc123def456',
  spec: tenantSpecSchema.parse({
    slug: 'acme',
    displayName: 'Acme',
    isolation: 'dedicated',
    runtime: { version: '1.0.0', replicas: 3 },
    ...spec,
  }),
  owner: { apiVersion: 'solarcrm.io/v1alpha1', kind: 'Tenant', name: 'acme', uid: 'u-1' },
  operatorNamespace: 'solar',
  images: { runtime: 'solar-crm/tenant-runtime' },
  platformApiSelector: { 'app.kubernetes.io/component': 'platform-api' },
  runtimeEnvSecret: 'solar-crm-runtime-env',
  poolServesSuspended,
});
const kinds = (objs: Array<{ kind?: string }>) => objs.map((o) => o.kind);

describe('dedicated runtime while suspended', () => {
  it.each([
    ['active', {}, true, 3],
    ['ReadOnly, the pool serves reads', { suspended: true, suspendMode: 'ReadOnly' as const }, true, 0],
    ['Blocked', { suspended: true, suspendMode: 'Blocked' as const }, true, 0],
    ['ReadOnly without a registry password for the pool', { suspended: true }, false, 3],
    [
      'Blocked without a registry password for the pool',
      { suspended: true, suspendMode: 'Blocked' as const },
      false,
      0,
    ],
  ])('%s: %i replicas', (_case, spec, pool, replicas) => {
    const c = ctx(spec, pool);
    expect(desiredReplicas(c)).toBe(replicas);
    const { present, absent } = dedicatedChildren(c);
    const deployment = present.find((o) => o.kind === 'Deployment') as { spec: { replicas: number } };
    expect(deployment.spec.replicas).toBe(replicas);
    // an HPA (minReplicas ≥ 1) would scale a runtime at zero back up: it exists only while running
    expect(kinds(replicas === 0 ? absent : present)).toContain('HorizontalPodAutoscaler');
    expect(kinds(replicas === 0 ? present : absent)).not.toContain('HorizontalPodAutoscaler');
  });

  it('counts a Deployment Available only once it caught up with its spec and has a Pod serving', () => {
    expect(runtimeAvailable(null)).toBe(false);
    expect(
      runtimeAvailable({
        metadata: { generation: 4 },
        status: { observedGeneration: 3, availableReplicas: 2 },
      }),
    ).toBe(false);
    expect(
      runtimeAvailable({
        metadata: { generation: 4 },
        status: { observedGeneration: 4, availableReplicas: 0 },
      }),
    ).toBe(false);
    expect(
      runtimeAvailable({
        metadata: { generation: 4 },
        status: { observedGeneration: 4, availableReplicas: 1 },
      }),
    ).toBe(true);
  });
});
