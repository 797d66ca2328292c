import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1OwnerReference,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiFixture, type KubeApiFixture } from './index.js';
import { eventually, statusOf, tenant, tenantsGvp } from './test-helpers.js';

let fx: KubeApiFixture;
let custom: CustomObjectsApi;
let core: CoreV1Api;
let apps: AppsV1Api;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const finalizer = 'tenants.solarcrm.io/cleanup';

beforeAll(async () => {
  fx = await startKubeApiFixture();
  const kc = fx.kubeConfig();
  custom = kc.makeApiClient(CustomObjectsApi);
  core = kc.makeApiClient(CoreV1Api);
  apps = kc.makeApiClient(AppsV1Api);
});
afterAll(() => fx.close());

const get = (name: string) =>
  custom.getClusterCustomObject({ ...tenantsGvp, name }) as Promise<KubernetesObject>;

function ownedBy(owner: KubernetesObject): V1OwnerReference[] {
  return [
    {
      apiVersion: 'solarcrm.io/v1alpha1',
      kind: 'Tenant',
      name: owner.metadata?.name ?? '',
      uid: owner.metadata?.uid ?? '',
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

describe('kube-api fixture: finalizers', () => {
  it('marks an object with finalizers for deletion (202 + deletionTimestamp) and keeps it until they are gone', async () => {
    await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('fin', {}, { finalizers: [finalizer] }),
    });
    const deleting = (await custom.deleteClusterCustomObject({
      ...tenantsGvp,
      name: 'fin',
    })) as KubernetesObject;
    expect(deleting.metadata?.deletionTimestamp).toBeTruthy();
    const still = await get('fin');
    expect(still.metadata?.deletionTimestamp).toBeTruthy();
    expect(still.metadata?.finalizers).toEqual([finalizer]);

    // A second DELETE changes nothing; adding a new finalizer while deleting is forbidden.
    await custom.deleteClusterCustomObject({ ...tenantsGvp, name: 'fin' });
    expect((await get('fin')).metadata?.resourceVersion).toBe(still.metadata?.resourceVersion);
    const forbidden = await statusOf(
      custom.patchClusterCustomObject(
        { ...tenantsGvp, name: 'fin', body: { metadata: { finalizers: [finalizer, 'other'] } } },
        merge,
      ),
    );
    expect(forbidden).toMatchObject({ code: 422, reason: 'Invalid' });

    // Spec and status stay writable while the finalizer runs.
    await custom.patchClusterCustomObjectStatus(
      { ...tenantsGvp, name: 'fin', body: { status: { phase: 'Deleting' } } },
      merge,
    );

    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'fin', body: { metadata: { finalizers: null } } },
      merge,
    );
    expect((await statusOf(get('fin'))).code).toBe(404);
  });

  it('answers 202 for a finalizer-held delete and 200 for an immediate one', async () => {
    await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('held', {}, { finalizers: [finalizer] }),
    });
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('free') });
    const codes: number[] = [];
    for (const name of ['held', 'free']) {
      const res = await custom.deleteClusterCustomObjectWithHttpInfo({ ...tenantsGvp, name });
      codes.push(res.httpStatusCode);
    }
    expect(codes).toEqual([202, 200]);
  });

  it('honours a resourceVersion precondition on delete', async () => {
    const t = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('pre'),
    })) as KubernetesObject;
    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'pre', body: { spec: { plan: 'growth' } } },
      merge,
    );
    const status = await statusOf(
      custom.deleteClusterCustomObject({
        ...tenantsGvp,
        name: 'pre',
        body: { preconditions: { resourceVersion: t.metadata?.resourceVersion } },
      }),
    );
    expect(status).toMatchObject({ code: 409, reason: 'Conflict' });
  });
});

describe('kube-api fixture: owner references and garbage collection', () => {
  it('deletes dependents in the background once the owner is gone', async () => {
    const owner = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('owner', {}, { finalizers: [finalizer] }),
    })) as KubernetesObject;
    await core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: { name: 'owner-db', ownerReferences: ownedBy(owner) },
        stringData: { password: 'x' },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: {
          name: 'owner-runtime',
          ownerReferences: ownedBy(owner),
          finalizers: ['example.com/drain'],
        },
        spec: {
          selector: { matchLabels: { a: 'b' } },
          template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
        },
      },
    });

    await custom.deleteClusterCustomObject({ ...tenantsGvp, name: 'owner' });
    // Still held by the owner's finalizer: dependents untouched.
    await new Promise((r) => setTimeout(r, 50));
    await core.readNamespacedSecret({ name: 'owner-db', namespace: 'default' });

    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'owner', body: { metadata: { finalizers: [] } } },
      merge,
    );
    await eventually(async () =>
      expect(
        (await statusOf(core.readNamespacedSecret({ name: 'owner-db', namespace: 'default' }))).code,
      ).toBe(404),
    );
    // A dependent with its own finalizer is only marked for deletion.
    const runtime = await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'owner-runtime', namespace: 'default' });
      expect(d.metadata?.deletionTimestamp).toBeTruthy();
      return d;
    });
    expect(runtime.metadata?.finalizers).toEqual(['example.com/drain']);
  });

  it('orphans dependents when asked to', async () => {
    const owner = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('orphaner'),
    })) as KubernetesObject;
    await core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: { name: 'orphan-db', ownerReferences: ownedBy(owner) },
        stringData: { password: 'x' },
      },
    });
    await custom.deleteClusterCustomObject({ ...tenantsGvp, name: 'orphaner', propagationPolicy: 'Orphan' });
    await eventually(async () => {
      const s = await core.readNamespacedSecret({ name: 'orphan-db', namespace: 'default' });
      expect(s.metadata?.ownerReferences).toBeUndefined();
    });
  });

  it('empties a deleted namespace, refuses new content meanwhile, then removes it', async () => {
    await core.createNamespace({ body: { metadata: { name: 'tenant-abc' } } });
    await core.createNamespacedSecret({
      namespace: 'tenant-abc',
      body: { metadata: { name: 'plain' }, stringData: { a: 'b' } },
    });
    await core.createNamespacedSecret({
      namespace: 'tenant-abc',
      body: { metadata: { name: 'held', finalizers: ['example.com/backup'] }, stringData: { a: 'b' } },
    });
    const terminating = await core.deleteNamespace({ name: 'tenant-abc' });
    expect((terminating as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    await eventually(async () =>
      expect(
        (await statusOf(core.readNamespacedSecret({ name: 'plain', namespace: 'tenant-abc' }))).code,
      ).toBe(404),
    );

    const refused = await statusOf(
      core.createNamespacedSecret({
        namespace: 'tenant-abc',
        body: { metadata: { name: 'late' }, stringData: { a: 'b' } },
      }),
    );
    expect(refused).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect((await core.readNamespace({ name: 'tenant-abc' })).status?.phase).toBe('Terminating');

    await core.patchNamespacedSecret({
      name: 'held',
      namespace: 'tenant-abc',
      body: [{ op: 'remove', path: '/metadata/finalizers' }],
    });
    await eventually(async () =>
      expect((await statusOf(core.readNamespace({ name: 'tenant-abc' }))).code).toBe(404),
    );
  });
});
