import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Unavailable } from '@solar/common';
import { createTestPlatformDb, type TestPlatformDb } from '@solar/platform-api/testing/platform-db';
import { signup } from '@solar/platform-api/platform-graphql/signup';
import { verifyPassword } from '@solar/platform-api/identity/password-hash';
import type { KubernetesDriver } from '../../src/kube/index.js';
import { tenantIdFor, TENANT_ID_ANNOTATION } from '../../src/kube/names.js';
import { createKubernetesSignupDriver, SIGNUP_FIELD_MANAGER } from '../../src/kube/signup-driver.js';
import { startKubeApiFixture, type KubeApiFixture } from '../kube-api-fixture/index.js';
import {
  createOperatorNamespace,
  dropTenantDatabases,
  getTenant,
  silent,
  startDriver,
  startKubelet,
  statusOf,
  waitFor,
} from './harness.js';

/*
 * Self-service signup in a cluster: platform-api writes a Tenant resource, the operator (running here against
 * the in-process API server) provisions it, and signup then creates the first admin. A workspace that
 * cannot be provisioned leaves nothing behind: no Tenant, no registry row, the address free again.
 */

const secretKey = randomBytes(32);
let fx: KubeApiFixture;
let platform: TestPlatformDb;
let operator: KubernetesDriver;
let kubelet: ReturnType<typeof startKubelet>;

const input = (slug: string) => ({
  companyName: `${slug} Solar`,
  slug,
  adminEmail: `owner@${slug}.example`,
  adminName: 'Olive Owner',
  password: 'a long unguessable sunrise over panels',
});

beforeAll(async () => {
  fx = await startKubeApiFixture();
  platform = await createTestPlatformDb();
  await createOperatorNamespace(fx.kubeConfig());
  kubelet = startKubelet(fx.kubeConfig());
  operator = startDriver(fx.kubeConfig(), platform.db, secretKey);
  await waitFor(() => expect(operator.isLeader()).toBe(true));
});

afterAll(async () => {
  await operator?.stop();
  await kubelet?.stop();
  await fx?.close();
  if (platform) await dropTenantDatabases(platform.db);
  await platform?.drop();
});

describe('signup with SIGNUP_DRIVER=kubernetes', () => {
  it('writes a Tenant, waits for the operator to make it Ready, then creates the owner', async () => {
    const driver = createKubernetesSignupDriver({ kubeConfig: fx.kubeConfig(), pollMs: 50 });
    const result = await signup({ db: platform.db, driver, log: silent }, input('brightpath'));

    expect(result.tenant.status).toEqual({ phase: 'Ready', lastError: null });
    const resource = await getTenant(fx.kubeConfig(), 'brightpath');
    // the registry row signup claimed and the Tenant are the same tenant: the id is pinned on the resource
    const row = await platform.db('tenants').where({ slug: 'brightpath' }).first();
    expect(resource!.metadata!.annotations![TENANT_ID_ANNOTATION]).toBe(row.id);
    expect(tenantIdFor(resource!.metadata!)).toBe(row.id);
    expect(result.tenant.id).toBe(row.id);
    expect(resource!.spec).toMatchObject({ slug: 'brightpath', plan: 'starter', deletionPolicy: 'Delete' });
    expect(resource!.metadata!.managedFields?.map((f) => f.manager)).toContain(SIGNUP_FIELD_MANAGER);
    expect(row).toMatchObject({ phase: 'Ready', owner_identity_id: result.ownerIdentityId });
    expect(row.db_schema).toBe(`t_${row.id}`);

    const owner = await platform.db('identities').where({ id: result.ownerIdentityId }).first();
    expect(owner).toMatchObject({ tenant_id: row.id, email: 'owner@brightpath.example' });
    expect(await verifyPassword(owner.password_hash, input('brightpath').password)).toBe(true);
  });

  it('a workspace the operator cannot provision is removed again, and its address is free', async () => {
    kubelet.fail.add('doomed');
    const driver = createKubernetesSignupDriver({
      kubeConfig: fx.kubeConfig(),
      pollMs: 50,
      settleTimeoutMs: 6_000,
    });
    await expect(signup({ db: platform.db, driver, log: silent }, input('doomed'))).rejects.toBeInstanceOf(
      Unavailable,
    );
    expect(await getTenant(fx.kubeConfig(), 'doomed')).toBeNull();
    expect(await platform.db('tenants').where({ slug: 'doomed' }).first()).toBeUndefined();
    expect(await platform.db('identities').where({ email: 'owner@doomed.example' }).first()).toBeUndefined();

    // once it can be provisioned, the same address signs up
    kubelet.fail.delete('doomed');
    const again = await signup(
      {
        db: platform.db,
        driver: createKubernetesSignupDriver({ kubeConfig: fx.kubeConfig(), pollMs: 50 }),
        log: silent,
      },
      input('doomed'),
    );
    expect(again.tenant.status.phase).toBe('Ready');
    expect(statusOf(await getTenant(fx.kubeConfig(), 'doomed')).phase).toBe('Ready');
  });
});
