import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, open, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { latestTenantSchemaVersion } from '@solar/tenant-runtime/db/migrate';
import type { KubernetesDriver } from '../../src/kube/index.js';
import { tenantIdFor } from '../../src/kube/names.js';
import { startKubeApiFixture, type KubeApiFixture } from '../kube-api-fixture/index.js';
import {
  clients,
  condition,
  createOperatorNamespace,
  dropTenantDatabases,
  getTenant,
  gvp,
  mergePatch,
  OPERATOR_NS,
  POOLED,
  startDriver,
  startKubelet,
  statusOf,
  tenantBody,
  waitFor,
} from './harness.js';

const secretKey = randomBytes(32);
let fx: KubeApiFixture;
let platform: TestPlatformDb;
let admin: Knex;
let driver: KubernetesDriver;
let kubelet: ReturnType<typeof startKubelet>;
let api: ReturnType<typeof clients>;

const create = (name: string, spec: Record<string, unknown> = {}) =>
  api.custom.createClusterCustomObject({ ...gvp, body: tenantBody(name, spec) });
const patchSpec = (name: string, spec: Record<string, unknown>) =>
  api.custom.patchClusterCustomObject({ ...gvp, name, body: { spec } }, mergePatch);
const phaseOf = async (name: string) => statusOf(await getTenant(fx.kubeConfig(), name)).phase as string;
const untilPhase = (name: string, phase: string, timeoutMs?: number) =>
  waitFor(async () => expect(await phaseOf(name)).toBe(phase), timeoutMs);
const eventsFor = async (name: string) =>
  (await api.core.listNamespacedEvent({ namespace: 'default' })).items
    .filter((e) => e.involvedObject.name === name)
    .map((e) => `${e.type}/${e.reason}`);
const secretPassword = async (namespace: string, name: string) => {
  const s = await api.core.readNamespacedSecret({ namespace, name: `tenant-${name}-db` });
  return Buffer.from(s.data!.password!, 'base64').toString('utf8');
};
const schemaExists = async (schema: string) => {
  const [rows] = (await admin.raw('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [
    schema,
  ])) as [unknown[], unknown];
  return rows.length > 0;
};
async function loginWorks(user: string, password: string, database: string): Promise<boolean> {
  const db = createDb({ url: testServerUrl, user, password, database, pool: { min: 0, max: 1 } });
  try {
    await db.raw('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await db.destroy();
  }
}

beforeAll(async () => {
  fx = await startKubeApiFixture();
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
  api = clients(fx.kubeConfig());
  await createOperatorNamespace(fx.kubeConfig());
  kubelet = startKubelet(fx.kubeConfig());
  // a short resync, so drift no watch sees (objects other than Deployments and Jobs) is repaired in the test
  driver = startDriver(fx.kubeConfig(), platform.db, secretKey, { resyncMs: 1500 });
  await waitFor(() => expect(driver.isLeader()).toBe(true));
});

afterAll(async () => {
  await driver?.stop();
  await kubelet?.stop();
  await fx?.close();
  if (platform) await dropTenantDatabases(platform.db);
  await admin?.destroy();
  await platform?.drop();
});

describe('kubernetes driver: a pooled Tenant', () => {
  it('waits for the migration Job, then becomes Ready with status, Secret, routing entry, schema and events', async () => {
    kubelet.hold.add('sunnyside');
    await create('sunnyside');

    // the Job exists and is not done: not Migrated, not Failed — waiting
    await waitFor(async () => {
      const t = await getTenant(fx.kubeConfig(), 'sunnyside');
      expect(condition(t, 'Migrated')).toMatchObject({ status: 'False', reason: 'MigrationJobRunning' });
      expect(statusOf(t)).toMatchObject({ phase: 'Provisioning', lastError: null });
      expect(condition(t, 'DatabaseReady')?.status).toBe('True');
    });
    const jobs = await api.batch.listNamespacedJob({ namespace: OPERATOR_NS });
    const job = jobs.items.find((j) => j.metadata?.labels?.['solarcrm.io/tenant'] === 'sunnyside');
    expect(job?.spec?.template.spec?.containers[0]?.image).toBe('solar-crm/tenant-runtime:dev');

    kubelet.hold.delete('sunnyside');
    await untilPhase('sunnyside', 'Ready');
    const t = await getTenant(fx.kubeConfig(), 'sunnyside');
    const id = tenantIdFor(t!.metadata!);
    expect(t!.metadata?.finalizers).toContain('tenants.solarcrm.io/cleanup');
    expect(statusOf(t)).toMatchObject({
      phase: 'Ready',
      observedGeneration: 1,
      endpoint: POOLED,
      schemaVersion: latestTenantSchemaVersion,
      runtimeVersion: 'dev',
      lastError: null,
      database: {
        schema: `t_${id}`,
        user: `t_${id}`,
        secretRef: { name: 'tenant-sunnyside-db', namespace: OPERATOR_NS },
      },
    });
    for (const type of ['DatabaseReady', 'Migrated', 'Routable', 'Ready'])
      expect(condition(t, type)).toMatchObject({ status: 'True', observedGeneration: 1 });
    expect(Date.parse(condition(t, 'Ready').lastTransitionTime)).not.toBeNaN();

    // the password lives in the Secret, logs in as the tenant's own user, and is mirrored sealed in the registry
    const password = await secretPassword(OPERATOR_NS, 'sunnyside');
    expect(await loginWorks(`t_${id}`, password, `t_${id}`)).toBe(true);
    expect(await schemaExists(`t_${id}`)).toBe(true);
    const row = await platform.db('tenants').where({ id }).first();
    expect(row).toMatchObject({ slug: 'sunnyside', endpoint: POOLED, phase: 'Ready', db_schema: `t_${id}` });
    expect(open(row.db_password_sealed, secretKey, id)).toBe(password);

    await waitFor(async () =>
      expect(await eventsFor('sunnyside')).toEqual(
        expect.arrayContaining([
          'Normal/Provisioning',
          'Normal/DatabaseReady',
          'Normal/Migrated',
          'Normal/Ready',
        ]),
      ),
    );
  });

  it('converges on a spec change: observedGeneration follows generation, the registry follows the spec', async () => {
    await patchSpec('sunnyside', { displayName: 'Sunnyside Solar LLC', plan: 'growth' });
    await waitFor(async () => {
      const t = await getTenant(fx.kubeConfig(), 'sunnyside');
      expect(t!.metadata?.generation).toBe(2);
      expect(statusOf(t)).toMatchObject({ phase: 'Ready', observedGeneration: 2 });
      expect(condition(t, 'Ready')).toMatchObject({ status: 'True', observedGeneration: 2 });
    });
    const row = await platform.db('tenants').where({ slug: 'sunnyside' }).first();
    expect(row).toMatchObject({ display_name: 'Sunnyside Solar LLC', plan: 'growth' });
  });

  it('suspends and resumes a pooled tenant', async () => {
    await patchSpec('sunnyside', { suspended: true });
    await untilPhase('sunnyside', 'Suspended');
    expect((await platform.db('tenants').where({ slug: 'sunnyside' }).first()).suspended).toBe(1);
    await patchSpec('sunnyside', { suspended: false });
    await untilPhase('sunnyside', 'Ready');
    await waitFor(async () =>
      expect(await eventsFor('sunnyside')).toEqual(
        expect.arrayContaining(['Normal/Suspended', 'Normal/Resumed']),
      ),
    );
  });

  it('refuses a second Tenant claiming a slug another Tenant owns', async () => {
    await api.custom.createClusterCustomObject({
      ...gvp,
      body: { ...tenantBody('sunnyside-copy'), spec: { slug: 'sunnyside', displayName: 'Impostor' } },
    });
    await waitFor(async () => {
      const t = await getTenant(fx.kubeConfig(), 'sunnyside-copy');
      expect(statusOf(t)).toMatchObject({ phase: 'Failed' });
      expect(condition(t, 'Ready')).toMatchObject({ status: 'False', reason: 'SlugTaken' });
    });
    expect((await platform.db('tenants').where({ slug: 'sunnyside' }).first()).display_name).toBe(
      'Sunnyside Solar LLC',
    );
    await api.custom.deleteClusterCustomObject({ ...gvp, name: 'sunnyside-copy' });
  });
});

describe('kubernetes driver: a dedicated Tenant', () => {
  const ns = 'tenant-brightpeak';

  it('gets its own namespace, runtime Deployment, Service, NetworkPolicy, quota, PDB and HPA, all owned', async () => {
    await create('brightpeak', {
      isolation: 'dedicated',
      plan: 'enterprise',
      runtime: { version: '0.1.0', replicas: 2 },
    });
    await untilPhase('brightpeak', 'Ready');
    const t = await getTenant(fx.kubeConfig(), 'brightpeak');
    expect(statusOf(t).endpoint).toBe('http://tenant-runtime.tenant-brightpeak.svc:4100');
    const dep = await api.apps.readNamespacedDeployment({ namespace: ns, name: 'tenant-runtime' });
    expect(dep.spec?.replicas).toBe(2);
    expect(dep.spec?.template.spec?.containers[0]?.image).toBe('solar-crm/tenant-runtime:0.1.0');
    expect(dep.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'Tenant',
      name: 'brightpeak',
      uid: t!.metadata!.uid,
      controller: true,
      blockOwnerDeletion: true,
    });
    expect(dep.metadata?.managedFields?.map((m) => m.manager)).toContain('solar-crm-operator');
    const objects = (await fetchAll(ns)).sort();
    expect(objects).toEqual(
      expect.arrayContaining([
        'HorizontalPodAutoscaler/tenant-runtime',
        'NetworkPolicy/tenant-runtime-ingress',
        'PodDisruptionBudget/tenant-runtime',
        'ResourceQuota/tenant-quota',
        'Secret/tenant-brightpeak-db',
        'Service/tenant-runtime',
      ]),
    );
    expect(await secretPassword(ns, 'brightpeak')).toHaveLength(43);

    // only platform-api Pods in the operator's namespace may reach the runtime, on its port (the client's
    // model calls the wire field `from` `_from`; a policy without it would admit every source)
    const policy = await api.networking.readNamespacedNetworkPolicy({
      namespace: ns,
      name: 'tenant-runtime-ingress',
    });
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: dep.spec?.selector.matchLabels },
      policyTypes: ['Ingress'],
      ingress: [
        {
          _from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': OPERATOR_NS } },
              podSelector: { matchLabels: { 'app.kubernetes.io/component': 'platform-api' } },
            },
          ],
          ports: [{ protocol: 'TCP', port: 4100 }],
        },
      ],
    });
  });

  /** A hand (or HPA) scale of the dedicated runtime, and its count now. */
  const scaleRuntime = (replicas: number) =>
    api.apps.patchNamespacedDeployment(
      { namespace: ns, name: 'tenant-runtime', body: { spec: { replicas } } },
      mergePatch,
    );
  const runtimeReplicas = async () =>
    (await api.apps.readNamespacedDeployment({ namespace: ns, name: 'tenant-runtime' })).spec?.replicas;

  it("keeps the HPA's replica count, clamps one outside its range, and puts back a deleted NetworkPolicy", async () => {
    // the HPA (2..4) scaled up: the operator leaves that be; a NetworkPolicy (not watched) goes on the resync
    await scaleRuntime(3);
    await api.networking.deleteNamespacedNetworkPolicy({ namespace: ns, name: 'tenant-runtime-ingress' });
    await waitFor(async () => expect(await fetchAll(ns)).toContain('NetworkPolicy/tenant-runtime-ingress'));
    expect(await runtimeReplicas()).toBe(3);
    // a hand edit beyond the HPA's range is clamped back into it
    await scaleRuntime(7);
    await waitFor(async () => expect(await runtimeReplicas()).toBe(4));
    await scaleRuntime(2);
    await waitFor(async () => expect(await runtimeReplicas()).toBe(2));
  });

  it('never writes back a stale replica count over one someone set while it was deciding', async () => {
    // the HPA scales to 4, which sends the operator a pass; just as that pass writes the Deployment back
    // (with the 4 it read), the HPA scales to 3
    fx.beforeNextWrite(
      (w) =>
        w.method === 'PATCH' &&
        w.resource === 'deployments' &&
        w.namespace === ns &&
        w.name === 'tenant-runtime' &&
        w.manager === 'solar-crm-operator',
      async () => void (await scaleRuntime(3)),
    );
    await scaleRuntime(4);
    await waitFor(async () => expect(await runtimeReplicas()).toBe(3));
    // and it stays 3: the pass's write was refused (409) and its retry read the 3
    await new Promise((r) => setTimeout(r, 1000));
    expect(await runtimeReplicas()).toBe(3);
    await scaleRuntime(2);
  });

  it('re-creates a runtime Deployment someone deleted', async () => {
    await api.apps.deleteNamespacedDeployment({ namespace: ns, name: 'tenant-runtime' });
    await waitFor(async () => {
      const dep = await api.apps.readNamespacedDeployment({ namespace: ns, name: 'tenant-runtime' });
      expect(dep.spec?.replicas).toBe(2);
    });
  });

  it('suspended ReadOnly: scales the runtime to zero, drops the HPA and routes reads to the pooled runtime', async () => {
    const dedicated = 'http://tenant-runtime.tenant-brightpeak.svc:4100';
    const hpaExists = async () => (await fetchAll(ns)).includes('HorizontalPodAutoscaler/tenant-runtime');
    const routedTo = async () =>
      (await platform.db('tenants').where({ slug: 'brightpeak' }).first()).endpoint as string;

    await patchSpec('brightpeak', { suspended: true, suspendMode: 'ReadOnly' });
    await untilPhase('brightpeak', 'Suspended');
    await waitFor(async () => {
      expect(await runtimeReplicas()).toBe(0);
      expect(await hpaExists()).toBe(false); // nothing left to scale a suspended runtime back up
    });
    // the pooled runtime serves the reads (it refuses writes for a suspended tenant) from the registry row
    expect(await routedTo()).toBe(POOLED);
    expect(statusOf(await getTenant(fx.kubeConfig(), 'brightpeak')).endpoint).toBe(POOLED);
    const row = await platform.db('tenants').where({ slug: 'brightpeak' }).first();
    expect(row).toMatchObject({ suspended: 1, suspend_mode: 'ReadOnly', phase: 'Suspended' });
    expect(open(row.db_password_sealed, secretKey, row.id)).toBe(await secretPassword(ns, 'brightpeak'));

    await patchSpec('brightpeak', { suspendMode: 'Blocked' });
    await waitFor(async () =>
      expect(condition(await getTenant(fx.kubeConfig(), 'brightpeak'), 'Suspended')).toMatchObject({
        status: 'True',
        reason: 'SuspendedBlocked',
      }),
    );
    expect(await runtimeReplicas()).toBe(0);
    expect(await routedTo()).toBe(POOLED);

    // resume: the Deployment scales back, but the route waits for it to be Available
    kubelet.hold.add('brightpeak');
    await patchSpec('brightpeak', { suspended: false });
    await waitFor(async () => expect(await runtimeReplicas()).toBe(2));
    await waitFor(async () => expect(await hpaExists()).toBe(true));
    await new Promise((r) => setTimeout(r, 300));
    expect(await routedTo()).toBe(POOLED);
    kubelet.hold.delete('brightpeak');
    await waitFor(async () => expect(await routedTo()).toBe(dedicated));
    await waitFor(async () =>
      expect(statusOf(await getTenant(fx.kubeConfig(), 'brightpeak'))).toMatchObject({
        phase: 'Ready',
        endpoint: dedicated,
      }),
    );
  });

  it('a failing migration Job leaves the tenant on its old version, route and image, and says why', async () => {
    const versionBefore = statusOf(await getTenant(fx.kubeConfig(), 'brightpeak')).schemaVersion as string;
    kubelet.fail.add('brightpeak');
    await patchSpec('brightpeak', { runtime: { version: '0.2.0' } });
    await waitFor(async () => {
      const t = await getTenant(fx.kubeConfig(), 'brightpeak');
      expect(statusOf(t)).toMatchObject({ phase: 'Failed', observedGeneration: t!.metadata!.generation });
      expect(condition(t, 'Migrated')).toMatchObject({ status: 'False', reason: 'MigrationJobFailed' });
    });
    const t = await getTenant(fx.kubeConfig(), 'brightpeak');
    expect(condition(t, 'Migrated').message).toMatch(
      /migration Job tenant-brightpeak-migrate-0-2-0-\w+ for version 0\.2\.0 failed \(BackoffLimitExceeded/,
    );
    expect(statusOf(t)).toMatchObject({
      schemaVersion: versionBefore,
      runtimeVersion: '0.1.0',
      endpoint: 'http://tenant-runtime.tenant-brightpeak.svc:4100',
    });
    expect(statusOf(t).lastError).toMatch(/^migrate: migration Job .* failed/);
    const dep = await api.apps.readNamespacedDeployment({ namespace: ns, name: 'tenant-runtime' });
    expect(dep.spec?.template.spec?.containers[0]?.image).toBe('solar-crm/tenant-runtime:0.1.0');
    await waitFor(async () => expect(await eventsFor('brightpeak')).toContain('Warning/MigrationJobFailed'));

    // pinning the version it runs brings it back (that version's Job completed long ago)
    kubelet.fail.delete('brightpeak');
    await patchSpec('brightpeak', { runtime: { version: '0.1.0' } });
    await untilPhase('brightpeak', 'Ready');
  });
});

describe('kubernetes driver: deletion', () => {
  it('runs the deletion policy behind the finalizer, then lets the Tenant go', async () => {
    await create('goner', { deletionPolicy: 'Delete' });
    await untilPhase('goner', 'Ready');
    const t = await getTenant(fx.kubeConfig(), 'goner');
    const id = tenantIdFor(t!.metadata!);
    expect(await schemaExists(`t_${id}`)).toBe(true);

    await api.custom.deleteClusterCustomObject({ ...gvp, name: 'goner' });
    await waitFor(async () => expect(await getTenant(fx.kubeConfig(), 'goner')).toBeNull());
    expect(await schemaExists(`t_${id}`)).toBe(false);
    const [users] = (await admin.raw('SELECT 1 FROM mysql.user WHERE User = ?', [`t_${id}`])) as [
      unknown[],
      unknown,
    ];
    expect(users).toHaveLength(0);
    const row = await platform.db('tenants').where({ id }).first();
    expect(row.deleted_at).not.toBeNull();
    expect(row.endpoint).toBeNull();
    expect(await eventsFor('goner')).toContain('Normal/Deleting');
    // the Secret goes with its owner (garbage collection)
    await waitFor(async () =>
      expect(
        (await api.core.listNamespacedSecret({ namespace: OPERATOR_NS })).items.map((s) => s.metadata?.name),
      ).not.toContain('tenant-goner-db'),
    );
  });

  it('holds a Tenant with preventDeletion until the flag is dropped; Retain keeps the credentials Secret', async () => {
    await create('keeper', { deletionPolicy: 'Retain', preventDeletion: true });
    await untilPhase('keeper', 'Ready');
    const id = tenantIdFor((await getTenant(fx.kubeConfig(), 'keeper'))!.metadata!);
    const password = await secretPassword(OPERATOR_NS, 'keeper');
    await api.custom.deleteClusterCustomObject({ ...gvp, name: 'keeper' });
    await waitFor(async () =>
      expect(condition(await getTenant(fx.kubeConfig(), 'keeper'), 'Deleting')).toMatchObject({
        status: 'False',
        reason: 'DeletionPrevented',
      }),
    );
    expect(await getTenant(fx.kubeConfig(), 'keeper')).not.toBeNull();
    await patchSpec('keeper', { preventDeletion: false });
    await waitFor(async () => expect(await getTenant(fx.kubeConfig(), 'keeper')).toBeNull());

    // the schema stays, and so does the way to reach it: the Secret is no longer owned, so not collected
    await new Promise((r) => setTimeout(r, 300)); // the garbage collector runs right after the owner goes
    expect(await schemaExists(`t_${id}`)).toBe(true);
    const kept = await api.core.readNamespacedSecret({ namespace: OPERATOR_NS, name: 'tenant-keeper-db' });
    expect(kept.metadata?.ownerReferences ?? []).toEqual([]);
    expect(kept.metadata?.annotations?.['solarcrm.io/retained-from']).toMatch(/keeper/);
    expect(await secretPassword(OPERATOR_NS, 'keeper')).toBe(password);
  });

  it('Retain on a dedicated Tenant keeps a copy of the Secret after its namespace is collected', async () => {
    await create('vault', { isolation: 'dedicated', deletionPolicy: 'Retain' });
    await untilPhase('vault', 'Ready');
    const id = tenantIdFor((await getTenant(fx.kubeConfig(), 'vault'))!.metadata!);
    const password = await secretPassword('tenant-vault', 'vault');
    await api.custom.deleteClusterCustomObject({ ...gvp, name: 'vault' });
    await waitFor(async () => expect(await getTenant(fx.kubeConfig(), 'vault')).toBeNull());
    await waitFor(async () =>
      expect((await api.core.listNamespace()).items.map((n) => n.metadata?.name)).not.toContain(
        'tenant-vault',
      ),
    );
    expect(await schemaExists(`t_${id}`)).toBe(true);
    const kept = await api.core.readNamespacedSecret({ namespace: OPERATOR_NS, name: 'tenant-vault-db' });
    expect(kept.metadata?.ownerReferences ?? []).toEqual([]);
    expect(Buffer.from(kept.data!.username!, 'base64').toString()).toBe(`t_${id}`);
    expect(await secretPassword(OPERATOR_NS, 'vault')).toBe(password);
  });
});

describe('kubernetes driver: watches', () => {
  it('relists after 410 Gone and carries on', async () => {
    fx.compactHistory();
    fx.dropWatches(); // every informer reconnects from a resourceVersion the server no longer has
    await create('afterlife');
    await untilPhase('afterlife', 'Ready');
  });

  it('serves Prometheus metrics with reconcile counts, durations, errors and queue depth', () => {
    const text = driver.metrics();
    expect(text).toMatch(/controller_runtime_reconcile_total\{controller="tenant",result="success"\} [1-9]/);
    expect(text).toMatch(/controller_runtime_reconcile_time_seconds_count\{controller="tenant"\} [1-9]/);
    expect(text).toContain('workqueue_depth{name="tenant"}');
    // the failed migration Job and the refused slug earlier in this file were reconcile errors
    expect(text).toMatch(/controller_runtime_reconcile_errors_total\{controller="tenant"\} [1-9]/);
    expect(text).toMatch(/solar_operator_errors_total\{controller="tenant",kind="reconcile"\} [1-9]/);
    expect(text).toContain('leader_election_master_status{name="solar-crm-operator"} 1');
  });
});

async function fetchAll(namespace: string): Promise<string[]> {
  const kc = fx.kubeConfig();
  const { KubernetesObjectApi } = await import('@kubernetes/client-node');
  const objects = KubernetesObjectApi.makeApiClient(kc);
  const kinds: Array<[string, string]> = [
    ['v1', 'Secret'],
    ['v1', 'Service'],
    ['v1', 'ResourceQuota'],
    ['networking.k8s.io/v1', 'NetworkPolicy'],
    ['policy/v1', 'PodDisruptionBudget'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ];
  const out: string[] = [];
  for (const [apiVersion, kind] of kinds) {
    const list = await objects.list(apiVersion, kind, namespace);
    for (const o of list.items) out.push(`${kind}/${o.metadata?.name}`);
  }
  return out;
}
