import {
  CustomObjectsApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiFixture, type KubeApiFixture } from './index.js';
import { eventually, tenant, tenantsGvp } from './test-helpers.js';

const path = '/apis/solarcrm.io/v1alpha1/tenants';
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

let fx: KubeApiFixture;
let custom: CustomObjectsApi;

beforeAll(async () => {
  fx = await startKubeApiFixture({ bookmarkIntervalMs: 50 });
  custom = fx.kubeConfig().makeApiClient(CustomObjectsApi);
});
afterAll(() => fx.close());

interface Seen {
  type: string;
  name?: string;
  rv?: string;
  object: KubernetesObject & { code?: number; reason?: string };
}

/** Opens a raw watch and records every event; `done` resolves when the server ends the stream. */
async function openWatch(fixture: KubeApiFixture, params: Record<string, string | number | boolean>) {
  const events: Seen[] = [];
  let resolveDone!: (err: unknown) => void;
  const done = new Promise<unknown>((r) => (resolveDone = r));
  const controller = await new Watch(fixture.kubeConfig()).watch(
    path,
    params,
    (type, object: Seen['object']) =>
      events.push({ type, name: object.metadata?.name, rv: object.metadata?.resourceVersion, object }),
    (err) => resolveDone(err),
  );
  return { events, done, stop: () => controller.abort() };
}

const listTenants = () =>
  custom.listClusterCustomObject({ ...tenantsGvp }) as Promise<KubernetesListObject<KubernetesObject>>;

describe('kube-api fixture: watch', () => {
  it('streams ADDED, MODIFIED and DELETED after a list resourceVersion, with rising resourceVersions', async () => {
    const rv = (await listTenants()).metadata?.resourceVersion ?? '';
    const w = await openWatch(fx, { resourceVersion: rv });
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('w-one') });
    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'w-one', body: { spec: { plan: 'growth' } } },
      merge,
    );
    await custom.deleteClusterCustomObject({ ...tenantsGvp, name: 'w-one' });
    await eventually(() =>
      expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual([
        'ADDED w-one',
        'MODIFIED w-one',
        'DELETED w-one',
      ]),
    );
    const rvs = w.events.map((e) => Number(e.rv));
    expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
    expect(rvs[0]).toBeGreaterThan(Number(rv));
    w.stop();
  });

  it('replays what happened since an older resourceVersion', async () => {
    const rv = fx.currentResourceVersion();
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('w-past') });
    await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'w-past', body: { spec: { suspended: true } } },
      merge,
    );
    const w = await openWatch(fx, { resourceVersion: rv });
    await eventually(() =>
      expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED w-past', 'MODIFIED w-past']),
    );
    w.stop();
  });

  it('starts with synthetic ADDED events for existing objects when no resourceVersion is given', async () => {
    const existing = (await listTenants()).items.map((i) => i.metadata?.name);
    const w = await openWatch(fx, {});
    await eventually(() => expect(w.events.map((e) => e.name).sort()).toEqual([...existing].sort()));
    expect(new Set(w.events.map((e) => e.type))).toEqual(new Set(['ADDED']));
    w.stop();
  });

  it('sends BOOKMARK events carrying the current resourceVersion when allowed', async () => {
    const w = await openWatch(fx, {
      resourceVersion: fx.currentResourceVersion(),
      allowWatchBookmarks: true,
    });
    const bookmark = await eventually(() => {
      const b = w.events.find((e) => e.type === 'BOOKMARK');
      expect(b).toBeDefined();
      return b;
    });
    expect(bookmark?.object.kind).toBe('Tenant');
    expect(bookmark?.rv).toBe(fx.currentResourceVersion());
    w.stop();
    const plain = await openWatch(fx, { resourceVersion: fx.currentResourceVersion() });
    await new Promise((r) => setTimeout(r, 200));
    expect(plain.events).toEqual([]);
    plain.stop();
  });

  it('ends the stream after timeoutSeconds', async () => {
    const started = Date.now();
    const w = await openWatch(fx, { resourceVersion: fx.currentResourceVersion(), timeoutSeconds: 1 });
    expect(await w.done).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('turns label changes into ADDED/DELETED for a selector watch', async () => {
    await custom.createClusterCustomObject({
      ...tenantsGvp,
      body: tenant('w-lbl', {}, { labels: { tier: 'bronze' } }),
    });
    const w = await openWatch(fx, {
      resourceVersion: fx.currentResourceVersion(),
      labelSelector: 'tier=gold',
    });
    for (const tier of ['gold', 'silver']) {
      await custom.patchClusterCustomObject(
        { ...tenantsGvp, name: 'w-lbl', body: { metadata: { labels: { tier } } } },
        merge,
      );
    }
    await eventually(() =>
      expect(w.events.map((e) => `${e.type} ${e.name}`)).toEqual(['ADDED w-lbl', 'DELETED w-lbl']),
    );
    w.stop();
  });

  it('answers a too-old resourceVersion with an ERROR event carrying 410 Gone, then closes', async () => {
    const rv = fx.currentResourceVersion();
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('w-old') });
    fx.compactHistory();
    const w = await openWatch(fx, { resourceVersion: rv });
    expect(await w.done).toBeNull();
    expect(w.events).toHaveLength(1);
    expect(w.events[0]).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });

  it('keeps only a bounded history', async () => {
    const small = await startKubeApiFixture({ historyLimit: 3 });
    try {
      const api = small.kubeConfig().makeApiClient(CustomObjectsApi);
      const rv = small.currentResourceVersion();
      for (const n of ['h-a', 'h-b', 'h-c', 'h-d'])
        await api.createClusterCustomObject({ ...tenantsGvp, body: tenant(n) });
      const tooOld = await openWatch(small, { resourceVersion: rv });
      await tooOld.done;
      expect(tooOld.events[0]?.object.code).toBe(410);
      const recent = await openWatch(small, {
        resourceVersion: String(Number(small.currentResourceVersion()) - 3),
      });
      await eventually(() => expect(recent.events.map((e) => e.name)).toEqual(['h-b', 'h-c', 'h-d']));
      recent.stop();
    } finally {
      await small.close();
    }
  });
});

describe('kube-api fixture: informers (makeInformer)', () => {
  it('resumes from its resourceVersion after the server drops the watch, without relisting', async () => {
    let lists = 0;
    const informer = makeInformer(fx.kubeConfig(), path, () => {
      lists++;
      return listTenants();
    });
    const added: string[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    await informer.start();
    fx.dropWatches();
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('inf-resume') });
    await eventually(() => expect(added).toContain('inf-resume'));
    expect(lists).toBe(1);
    await informer.stop();
  });

  it('recovers from 410 Gone by relisting, catching up on creates and deletes it missed', async () => {
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('inf-gone') });
    let lists = 0;
    const informer = makeInformer(fx.kubeConfig(), path, () => {
      lists++;
      return listTenants();
    });
    const added: string[] = [];
    const deleted: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', (o) => added.push(o.metadata?.name ?? ''));
    informer.on('delete', (o) => deleted.push(o.metadata?.name ?? ''));
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    await eventually(() => expect(informer.get('inf-gone')).toBeDefined());

    // Disconnected while things change and history is compacted: the informer's resourceVersion is now too old.
    await informer.stop();
    await new Promise((r) => setTimeout(r, 100));
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('inf-new') });
    await custom.deleteClusterCustomObject({ ...tenantsGvp, name: 'inf-gone' });
    fx.compactHistory();
    await informer.start();

    await eventually(() => {
      expect(added).toContain('inf-new');
      expect(deleted).toEqual(['inf-gone']);
    });
    expect(lists).toBe(2);
    expect(informer.get('inf-gone')).toBeUndefined();
    expect(informer.get('inf-new')?.metadata?.name).toBe('inf-new');

    // And it keeps watching after the relist.
    await custom.createClusterCustomObject({ ...tenantsGvp, body: tenant('inf-after') });
    await eventually(() => expect(informer.get('inf-after')).toBeDefined());
    await informer.stop();
  });
});
