import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { createTestPlatformDb, type TestPlatformDb } from '@solar/platform-api/testing/platform-db';
import type { KubernetesDriver } from '../../src/kube/index.js';
import { startKubeApiFixture, type KubeApiFixture } from '../kube-api-fixture/index.js';
import {
  clients,
  createOperatorNamespace,
  dropTenantDatabases,
  getTenant,
  gvp,
  OPERATOR_NS,
  startDriver,
  startKubelet,
  statusOf,
  tenantBody,
  waitFor,
} from './harness.js';

const secretKey = randomBytes(32);
let platform: TestPlatformDb;
const fixtures: KubeApiFixture[] = [];
const drivers: KubernetesDriver[] = [];
const kubelets: Array<ReturnType<typeof startKubelet>> = [];

async function cluster() {
  const fx = await startKubeApiFixture();
  fixtures.push(fx);
  await createOperatorNamespace(fx.kubeConfig());
  kubelets.push(startKubelet(fx.kubeConfig()));
  return fx;
}
const start = (fx: KubeApiFixture, identity: string, extra = {}) => {
  const d = startDriver(fx.kubeConfig(), platform.db, secretKey, { identity, ...extra });
  drivers.push(d);
  return d;
};
const reporters = async (fx: KubeApiFixture, name: string) =>
  new Set(
    (await clients(fx.kubeConfig()).core.listNamespacedEvent({ namespace: 'default' })).items
      .filter((e) => e.involvedObject.name === name)
      .map((e) => e.reportingInstance),
  );
const untilReady = (fx: KubeApiFixture, name: string) =>
  waitFor(async () => expect(statusOf(await getTenant(fx.kubeConfig(), name)).phase).toBe('Ready'));

beforeAll(async () => {
  platform = await createTestPlatformDb();
});
afterAll(async () => {
  for (const d of drivers) await d.stop();
  for (const k of kubelets) await k.stop();
  for (const fx of fixtures) await fx.close();
  if (platform) await dropTenantDatabases(platform.db);
  await platform?.drop();
});

describe('kubernetes driver: leader election', () => {
  it('lets only the leader act; the standby takes over when the leader stops', async () => {
    const fx = await cluster();
    const a = start(fx, 'op-a');
    await waitFor(() => expect(a.isLeader()).toBe(true));
    const b = start(fx, 'op-b');
    await new Promise((r) => setTimeout(r, 1500)); // longer than the lease: b must still stand by
    expect(b.isLeader()).toBe(false);
    expect(b.metrics()).toContain('leader_election_master_status{name="solar-crm-operator"} 0');

    const custom = clients(fx.kubeConfig()).custom;
    await custom.createClusterCustomObject({ ...gvp, body: tenantBody('le-first') });
    await untilReady(fx, 'le-first');
    expect(await reporters(fx, 'le-first')).toEqual(new Set(['op-a']));

    await a.stop(); // releases the lease: no need to wait for it to expire
    await waitFor(() => expect(b.isLeader()).toBe(true), 3000);
    const lease = await fx
      .kubeConfig()
      .makeApiClient(CoordinationV1Api)
      .readNamespacedLease({ namespace: OPERATOR_NS, name: 'solar-crm-operator' });
    expect(lease.spec).toMatchObject({ holderIdentity: 'op-b', leaseTransitions: 1 });

    await custom.createClusterCustomObject({ ...gvp, body: tenantBody('le-second') });
    await untilReady(fx, 'le-second');
    expect(await reporters(fx, 'le-second')).toEqual(new Set(['op-b']));
  });

  it('converges after the operator is killed mid-reconcile and a new one takes over', async () => {
    const fx = await cluster();
    let reached = false;
    // op-1 hangs for good right before granting privileges: schema, Secret and DB user exist, grants do not
    const dying = start(fx, 'op-1', {
      shutdownGraceMs: 100,
      faults: async (p: { step: string; when: string }) => {
        if (p.step === 'grants' && p.when === 'before') {
          reached = true;
          await new Promise(() => {});
        }
      },
    });
    await waitFor(() => expect(dying.isLeader()).toBe(true));
    await clients(fx.kubeConfig()).custom.createClusterCustomObject({ ...gvp, body: tenantBody('crashy') });
    await waitFor(() => expect(reached).toBe(true));
    await dying.stop(); // cannot drain in time: the lease is not released, as after a kill

    const successor = start(fx, 'op-2');
    await waitFor(() => expect(successor.isLeader()).toBe(true), 5000);
    await untilReady(fx, 'crashy');
    const t = await getTenant(fx.kubeConfig(), 'crashy');
    expect(statusOf(t)).toMatchObject({ phase: 'Ready', lastError: null });
  });
});
