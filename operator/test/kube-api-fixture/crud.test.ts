import {
  AppsV1Api,
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  type KubernetesObject,
  type V1Secret,
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
let core: CoreV1Api;

beforeAll(async () => {
  fx = await startKubeApiFixture();
  const kc = fx.kubeConfig();
  custom = kc.makeApiClient(CustomObjectsApi);
  objects = KubernetesObjectApi.makeApiClient(kc);
  core = kc.makeApiClient(CoreV1Api);
});
afterAll(() => fx.close());

const getTenant = (name: string) =>
  custom.getClusterCustomObject({ ...tenantsGvp, name }) as Promise<TenantObject>;

describe('kube-api fixture: create, read, list, replace', () => {
  it('assigns uid, creationTimestamp, generation 1 and a fresh resourceVersion on create', async () => {
    const before = Number(fx.currentResourceVersion());
    const created = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('acme'),
    })) as TenantObject;
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.generation).toBe(1);
    expect(Number(created.metadata?.resourceVersion)).toBe(before + 1);
    expect(Date.parse(String(created.metadata?.creationTimestamp))).not.toBeNaN();
    const read = await getTenant('acme');
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
  });

  it('answers 409 AlreadyExists when creating a name that exists', async () => {
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('dupe') });
    const status = await statusOf(custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('dupe') }));
    expect(status).toMatchObject({ code: 409, reason: 'AlreadyExists', details: { name: 'dupe' } });
  });

  it('answers 404 NotFound as a metav1.Status', async () => {
    const status = await statusOf(getTenant('ghost'));
    expect(status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'tenants.solarcrm.io "ghost" not found',
      details: { name: 'ghost', kind: 'tenants' },
    });
  });

  it('rejects a replace with a stale resourceVersion (409 Conflict) and accepts the current one', async () => {
    const first = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('racer'),
    })) as TenantObject;
    const winner = structuredClone(first);
    winner.spec.displayName = 'Winner';
    await custom.replaceClusterCustomObject({ ...tenantsGvp, name: 'racer', body: winner });

    const loser = structuredClone(first);
    loser.spec.displayName = 'Loser';
    const status = await statusOf(
      custom.replaceClusterCustomObject({ ...tenantsGvp, name: 'racer', body: loser }),
    );
    expect(status).toMatchObject({ code: 409, reason: 'Conflict' });
    expect((await getTenant('racer')).spec.displayName).toBe('Winner');
  });

  it('refuses an unconditional replace of a custom resource (no resourceVersion)', async () => {
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('blind') });
    const status = await statusOf(
      custom.replaceClusterCustomObject({
        ...tenantsGvp,
        name: 'blind',
        body: tenant('blind', { displayName: 'X' }),
      }),
    );
    expect(status).toMatchObject({ code: 422, reason: 'Invalid' });
    expect(status.details?.causes?.[0]?.field).toBe('metadata.resourceVersion');
  });

  it('bumps generation on spec changes only, and a no-op replace keeps the resourceVersion', async () => {
    const t = (await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('gen'),
    })) as TenantObject;
    t.metadata = { ...t.metadata, labels: { tier: 'gold' } };
    const labelled = (await custom.replaceClusterCustomObject({
      ...tenantsGvp,
      name: 'gen',
      body: t,
    })) as TenantObject;
    expect(labelled.metadata?.generation).toBe(1);

    labelled.spec.plan = 'growth';
    const changed = (await custom.replaceClusterCustomObject({
      ...tenantsGvp,
      name: 'gen',
      body: labelled,
    })) as TenantObject;
    expect(changed.metadata?.generation).toBe(2);

    const same = (await custom.replaceClusterCustomObject({
      ...tenantsGvp,
      name: 'gen',
      body: changed,
    })) as TenantObject;
    expect(same.metadata?.resourceVersion).toBe(changed.metadata?.resourceVersion);
  });

  it('lists with a label selector and reports the list resourceVersion', async () => {
    for (const [name, plan] of [
      ['lbl-a', 'starter'],
      ['lbl-b', 'growth'],
      ['lbl-c', 'growth'],
    ] as const) {
      await custom.createClusterCustomObject({
        ...tenantsGvp,
        body: tenant(name, {}, { labels: { plan, group: 'lbl' } }),
      });
    }
    const list = (await custom.listClusterCustomObject({
      ...tenantsGvp,
      labelSelector: 'group=lbl,plan in (growth)',
    })) as { items: TenantObject[]; metadata: { resourceVersion: string } };
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['lbl-b', 'lbl-c']);
    expect(list.metadata.resourceVersion).toBe(fx.currentResourceVersion());

    const notGrowth = (await custom.listClusterCustomObject({
      ...tenantsGvp,
      labelSelector: 'group=lbl,plan!=growth',
    })) as {
      items: TenantObject[];
    };
    expect(notGrowth.items.map((i) => i.metadata?.name)).toEqual(['lbl-a']);
  });

  it('serves built-in kinds through KubernetesObjectApi, using API discovery', async () => {
    const secret = await objects.create<V1Secret>({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db-creds', namespace: 'default', labels: { app: 'solar' } },
      type: 'Opaque',
      data: { password: Buffer.from('s3cret').toString('base64') },
    });
    expect(secret.metadata?.uid).toBeTruthy();
    const read = await core.readNamespacedSecret({ name: 'db-creds', namespace: 'default' });
    expect(Buffer.from(read.data?.password ?? '', 'base64').toString()).toBe('s3cret');

    const deployment = await objects.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'runtime', namespace: 'default' },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: 'rt' } },
        template: {
          metadata: { labels: { app: 'rt' } },
          spec: { containers: [{ name: 'rt', image: 'rt:1' }] },
        },
      },
    } as KubernetesObject);
    expect(deployment.metadata?.namespace).toBe('default');
    const apps = fx.kubeConfig().makeApiClient(AppsV1Api);
    expect((await apps.listNamespacedDeployment({ namespace: 'default' })).items).toHaveLength(1);

    const leases = fx.kubeConfig().makeApiClient(CoordinationV1Api);
    await leases.createNamespacedLease({
      namespace: 'default',
      body: { metadata: { name: 'operator-leader' }, spec: { holderIdentity: 'pod-a' } },
    });
    expect(
      (await leases.readNamespacedLease({ name: 'operator-leader', namespace: 'default' })).spec
        ?.holderIdentity,
    ).toBe('pod-a');
  });

  it('refuses namespaced objects in a namespace that does not exist', async () => {
    const status = await statusOf(
      core.createNamespacedSecret({
        namespace: 'nowhere',
        body: { metadata: { name: 's' }, stringData: { a: 'b' } },
      }),
    );
    expect(status).toMatchObject({
      code: 404,
      reason: 'NotFound',
      message: 'namespaces "nowhere" not found',
    });
  });

  it('answers 404 for resource types it does not serve', async () => {
    const status = await statusOf(
      custom.listClusterCustomObject({ group: 'example.com', version: 'v1', plural: 'widgets' }),
    );
    expect(status).toMatchObject({ code: 404, reason: 'NotFound' });
  });
});
