import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1ManagedFieldsEntry,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiFixture, type KubeApiFixture } from './index.js';
import { statusOf, tenant, tenantsGvp } from './test-helpers.js';

interface TenantObject extends KubernetesObject {
  spec: Record<string, unknown>;
  status?: Record<string, unknown>;
}

let fx: KubeApiFixture;
let custom: CustomObjectsApi;
let objects: KubernetesObjectApi;

const as = (strategy: string) => setHeaderOptions('Content-Type', strategy);
const apply = as(PatchStrategy.ServerSideApply);

beforeAll(async () => {
  fx = await startKubeApiFixture();
  const kc = fx.kubeConfig();
  custom = kc.makeApiClient(CustomObjectsApi);
  objects = KubernetesObjectApi.makeApiClient(kc);
});
afterAll(() => fx.close());

const create = (body: object) =>
  custom.createClusterCustomObject({ ...tenantsGvp, body }) as Promise<TenantObject>;
const patch = (name: string, body: object, strategy: string) =>
  custom.patchClusterCustomObject({ ...tenantsGvp, name, body }, as(strategy)) as Promise<TenantObject>;
const applyTenant = (name: string, body: object, fieldManager: string, force = false) =>
  custom.patchClusterCustomObject(
    { ...tenantsGvp, name, body, fieldManager, force },
    apply,
  ) as Promise<TenantObject>;
const managers = (obj: KubernetesObject) =>
  (obj.metadata?.managedFields ?? []).map(
    (m: V1ManagedFieldsEntry) => `${m.manager}/${m.operation}${m.subresource ? `/${m.subresource}` : ''}`,
  );

describe('kube-api fixture: merge and JSON patches', () => {
  it('merge patch merges objects, replaces lists and deletes keys set to null (RFC 7386)', async () => {
    await create(
      tenant(
        'mpatch',
        { domains: ['a.example.com'], quotas: { maxUsers: 5, maxLeads: 100 } },
        { labels: { a: '1', b: '2' } },
      ),
    );
    const out = await patch(
      'mpatch',
      {
        metadata: { labels: { b: null, c: '3' } },
        spec: { domains: ['b.example.com'], quotas: { maxLeads: null } },
      },
      PatchStrategy.MergePatch,
    );
    expect(out.metadata?.labels).toEqual({ a: '1', c: '3' });
    expect(out.spec.domains).toEqual(['b.example.com']);
    expect(out.spec.quotas).toEqual({ maxUsers: 5 });
  });

  it('treats strategic merge patch as a merge patch', async () => {
    await create(tenant('smp'));
    const out = await patch('smp', { spec: { suspended: true } }, PatchStrategy.StrategicMergePatch);
    expect(out.spec.suspended).toBe(true);
  });

  it('honours a resourceVersion precondition inside a merge patch', async () => {
    const t = await create(tenant('mp-rv'));
    await patch('mp-rv', { spec: { plan: 'growth' } }, PatchStrategy.MergePatch);
    const status = await statusOf(
      patch(
        'mp-rv',
        { metadata: { resourceVersion: t.metadata?.resourceVersion }, spec: { plan: 'enterprise' } },
        PatchStrategy.MergePatch,
      ),
    );
    expect(status).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('applies JSON patch operations in order and fails atomically on a failed test', async () => {
    await create(tenant('jpatch', { domains: ['a.example.com'] }, { finalizers: ['keep'] }));
    const out = await patch(
      'jpatch',
      [
        { op: 'test', path: '/spec/plan', value: 'starter' },
        { op: 'replace', path: '/spec/plan', value: 'growth' },
        { op: 'add', path: '/spec/domains/-', value: 'b.example.com' },
        { op: 'remove', path: '/metadata/finalizers/0' },
      ],
      PatchStrategy.JsonPatch,
    );
    expect(out.spec.plan).toBe('growth');
    expect(out.spec.domains).toEqual(['a.example.com', 'b.example.com']);
    expect(out.metadata?.finalizers).toEqual([]);

    const status = await statusOf(
      patch(
        'jpatch',
        [
          { op: 'replace', path: '/spec/displayName', value: 'Changed' },
          { op: 'test', path: '/spec/plan', value: 'starter' },
        ],
        PatchStrategy.JsonPatch,
      ),
    );
    expect(status.code).toBe(422);
    const after = (await custom.getClusterCustomObject({ ...tenantsGvp, name: 'jpatch' })) as TenantObject;
    expect(after.spec.displayName).toBe('jpatch Solar');
  });

  it('answers 404 when patching something that does not exist', async () => {
    const status = await statusOf(patch('nobody', { spec: { plan: 'growth' } }, PatchStrategy.MergePatch));
    expect(status).toMatchObject({ code: 404, reason: 'NotFound' });
  });
});

describe('kube-api fixture: server-side apply', () => {
  it('creates on first apply and records the manager in managedFields', async () => {
    const out = await applyTenant('ssa', tenant('ssa', { plan: 'growth' }), 'tenant-operator');
    expect(out.metadata?.uid).toBeTruthy();
    expect(out.spec.plan).toBe('growth');
    const entry = out.metadata?.managedFields?.find((m) => m.manager === 'tenant-operator');
    expect(entry).toMatchObject({
      operation: 'Apply',
      fieldsType: 'FieldsV1',
      apiVersion: 'solarcrm.io/v1alpha1',
    });
    expect(entry?.fieldsV1).toEqual({ 'f:spec': { 'f:slug': {}, 'f:displayName': {}, 'f:plan': {} } });
  });

  it('conflicts (409) when another manager owns a field with a different value, unless forced', async () => {
    await applyTenant('ssa-c', tenant('ssa-c', { plan: 'growth' }), 'platform-admin');
    const status = await statusOf(
      applyTenant('ssa-c', tenant('ssa-c', { plan: 'enterprise' }), 'tenant-operator'),
    );
    expect(status).toMatchObject({ code: 409, reason: 'Conflict' });
    expect(status.message).toContain('conflict with "platform-admin"');
    expect(status.details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "platform-admin"', field: '.spec.plan' },
    ]);

    const forced = await applyTenant(
      'ssa-c',
      tenant('ssa-c', { plan: 'enterprise' }),
      'tenant-operator',
      true,
    );
    expect(forced.spec.plan).toBe('enterprise');
    const admin = forced.metadata?.managedFields?.find((m) => m.manager === 'platform-admin');
    expect(admin?.fieldsV1).toEqual({ 'f:spec': { 'f:slug': {}, 'f:displayName': {} } });
  });

  it('takes a resourceVersion in an apply configuration as a precondition, even when forced', async () => {
    const first = await applyTenant('ssa-rv', tenant('ssa-rv', { plan: 'growth' }), 'tenant-operator');
    const rv = first.metadata?.resourceVersion;
    await patch('ssa-rv', { spec: { plan: 'enterprise' } }, PatchStrategy.MergePatch);
    const stale = {
      ...tenant('ssa-rv', { plan: 'starter' }),
      metadata: { name: 'ssa-rv', resourceVersion: rv },
    };
    expect(await statusOf(applyTenant('ssa-rv', stale, 'tenant-operator', true))).toMatchObject({
      code: 409,
      reason: 'Conflict',
    });
    const now = (await custom.getClusterCustomObject({ ...tenantsGvp, name: 'ssa-rv' })) as TenantObject;
    expect(now.spec.plan).toBe('enterprise');
    const fresh = { ...stale, metadata: { name: 'ssa-rv', resourceVersion: now.metadata?.resourceVersion } };
    expect((await applyTenant('ssa-rv', fresh, 'tenant-operator', true)).spec.plan).toBe('starter');
  });

  it('shares ownership without conflict when both managers apply the same value', async () => {
    await applyTenant('ssa-s', tenant('ssa-s', { plan: 'growth' }), 'a');
    const out = await applyTenant('ssa-s', tenant('ssa-s', { plan: 'growth' }), 'b');
    expect(managers(out).sort()).toEqual(['a/Apply', 'b/Apply']);
  });

  it('conflicts with fields another client changed by a plain update', async () => {
    await applyTenant('ssa-u', tenant('ssa-u'), 'tenant-operator');
    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'ssa-u', body: { spec: { suspended: true } }, fieldManager: 'kubectl-edit' },
      as(PatchStrategy.MergePatch),
    );
    const status = await statusOf(
      applyTenant('ssa-u', tenant('ssa-u', { suspended: false }), 'tenant-operator'),
    );
    expect(status.details?.causes?.[0]).toMatchObject({
      message: 'conflict with "kubectl-edit"',
      field: '.spec.suspended',
    });
  });

  it('removes fields a manager stops applying, when nobody else owns them', async () => {
    await applyTenant(
      'ssa-r',
      tenant('ssa-r', { quotas: { maxUsers: 10 }, domains: ['x.example.com'] }),
      'tenant-operator',
    );
    const out = await applyTenant(
      'ssa-r',
      tenant('ssa-r', { domains: ['x.example.com'] }),
      'tenant-operator',
    );
    expect(out.spec.quotas).toBeUndefined();
    expect(out.spec.domains).toEqual(['x.example.com']);
  });

  it('requires a fieldManager for apply patches', async () => {
    const status = await statusOf(
      custom.patchClusterCustomObject({ ...tenantsGvp, name: 'ssa', body: tenant('ssa') }, apply),
    );
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest' });
  });

  it('applies status through /status with its own managed-fields entry', async () => {
    await applyTenant('ssa-st', tenant('ssa-st'), 'tenant-operator');
    const out = (await custom.patchClusterCustomObjectStatus(
      {
        ...tenantsGvp,
        name: 'ssa-st',
        body: {
          apiVersion: 'solarcrm.io/v1alpha1',
          kind: 'Tenant',
          metadata: { name: 'ssa-st' },
          status: { phase: 'Ready', observedGeneration: 1 },
        },
        fieldManager: 'tenant-operator',
        force: true,
      },
      apply,
    )) as TenantObject;
    expect(out.status).toEqual({ phase: 'Ready', observedGeneration: 1 });
    expect(out.metadata?.generation).toBe(1);
    expect(managers(out)).toContain('tenant-operator/Apply/status');
  });

  it('works for built-in kinds through KubernetesObjectApi.patch', async () => {
    const spec = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name: 'tenant-db',
        namespace: 'default',
        labels: { 'app.kubernetes.io/managed-by': 'solar-operator' },
      },
      stringData: { password: 'p' },
    };
    await objects.patch(spec, undefined, undefined, 'tenant-operator', true, PatchStrategy.ServerSideApply);
    const again = await objects.patch(
      { ...spec, stringData: { password: 'q' } },
      undefined,
      undefined,
      'tenant-operator',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((again as unknown as { stringData: Record<string, string> }).stringData).toEqual({
      password: 'q',
    });
    const core = fx.kubeConfig().makeApiClient(CoreV1Api);
    expect(
      (await core.readNamespacedSecret({ name: 'tenant-db', namespace: 'default' })).metadata?.labels,
    ).toEqual({
      'app.kubernetes.io/managed-by': 'solar-operator',
    });
  });
});
