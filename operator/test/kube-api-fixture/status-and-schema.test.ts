import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tenantSpecSchema } from '../../src/tenant-spec.js';
import { startKubeApiFixture, type KubeApiFixture } from './index.js';
import { statusOf, tenant, tenantsGvp } from './test-helpers.js';

interface TenantObject extends KubernetesObject {
  spec: Record<string, unknown> & { runtime?: Record<string, unknown> };
  status?: Record<string, unknown>;
}

let fx: KubeApiFixture;
let custom: CustomObjectsApi;
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

beforeAll(async () => {
  fx = await startKubeApiFixture();
  custom = fx.kubeConfig().makeApiClient(CustomObjectsApi);
});
afterAll(() => fx.close());

const create = (body: object) =>
  custom.createClusterCustomObject({ ...tenantsGvp, body }) as Promise<TenantObject>;
const get = (name: string) => custom.getClusterCustomObject({ ...tenantsGvp, name }) as Promise<TenantObject>;

describe('kube-api fixture: the /status subresource', () => {
  it('drops status sent on create and on the main endpoint', async () => {
    const created = await create({ ...tenant('st-main'), status: { phase: 'Ready' } });
    expect(created.status).toBeUndefined();
    const patched = (await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'st-main', body: { spec: { plan: 'growth' }, status: { phase: 'Ready' } } },
      merge,
    )) as TenantObject;
    expect(patched.spec.plan).toBe('growth');
    expect(patched.status).toBeUndefined();
  });

  it('changes only status through /status, without bumping generation', async () => {
    const created = await create(tenant('st-sub'));
    const body = {
      ...created,
      spec: { ...created.spec, plan: 'enterprise' },
      status: { phase: 'Provisioning', observedGeneration: 1 },
    };
    const updated = (await custom.replaceClusterCustomObjectStatus({
      ...tenantsGvp,
      name: 'st-sub',
      body,
    })) as TenantObject;
    expect(updated.status).toMatchObject({ phase: 'Provisioning', observedGeneration: 1 });
    expect(updated.spec.plan).toBe('starter');
    expect(updated.metadata?.generation).toBe(1);
    expect(Number(updated.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );

    const patched = (await custom.patchClusterCustomObjectStatus(
      { ...tenantsGvp, name: 'st-sub', body: { status: { phase: 'Ready' }, spec: { plan: 'growth' } } },
      merge,
    )) as TenantObject;
    expect(patched.status).toMatchObject({ phase: 'Ready', observedGeneration: 1 });
    expect(patched.spec.plan).toBe('starter');
  });

  it('validates status against the schema too', async () => {
    await create(tenant('st-bad'));
    const status = await statusOf(
      custom.patchClusterCustomObjectStatus(
        {
          ...tenantsGvp,
          name: 'st-bad',
          body: {
            status: {
              conditions: [
                {
                  type: 'Ready',
                  status: 'Maybe',
                  reason: 'x y',
                  message: '',
                  lastTransitionTime: 'yesterday',
                },
              ],
            },
          },
        },
        merge,
      ),
    );
    expect(status.code).toBe(422);
    expect(status.details?.causes?.map((c) => c.field).sort()).toEqual([
      'status.conditions[0].lastTransitionTime',
      'status.conditions[0].reason',
      'status.conditions[0].status',
    ]);
  });
});

describe('kube-api fixture: Tenant schema defaulting and validation (from the chart CRD)', () => {
  it('fills in defaults, including nested ones under a defaulted object', async () => {
    const created = await create(tenant('defaults'));
    expect(created.spec.runtime).toEqual({ version: 'dev', replicas: 1 });
    expect(created.spec).toMatchObject({
      plan: 'starter',
      isolation: 'pooled',
      domains: [],
      deletionPolicy: 'Retain',
    });
    // The CRD's defaults are the operator's own (tenant-spec.ts) — the API server and the local driver agree.
    expect(created.spec).toEqual(tenantSpecSchema.parse({ slug: 'defaults', displayName: 'defaults Solar' }));
  });

  it('prunes fields the schema does not know', async () => {
    const created = await create({
      ...tenant('pruned', { colour: 'green', runtime: { replicas: 2, turbo: true } }),
      extra: 1,
    });
    expect(created.spec.colour).toBeUndefined();
    expect(created.spec.runtime).toEqual({ version: 'dev', replicas: 2 });
    expect((created as unknown as Record<string, unknown>).extra).toBeUndefined();
  });

  it('rejects bad specs with 422 Invalid and one cause per field', async () => {
    const status = await statusOf(
      create({
        apiVersion: 'solarcrm.io/v1alpha1',
        kind: 'Tenant',
        metadata: { name: 'bad' },
        spec: {
          slug: '9lives',
          plan: 'platinum',
          runtime: { replicas: 0 },
          domains: ['crm.example.com', 'crm.example.com', 'Not A Host'],
          quotas: { maxUsers: 0 },
          sso: { issuer: 'https://id.example.com' },
        },
      }),
    );
    expect(status).toMatchObject({ code: 422, reason: 'Invalid', details: { name: 'bad', kind: 'Tenant' } });
    const byField = Object.fromEntries((status.details?.causes ?? []).map((c) => [c.field, c.reason]));
    expect(byField).toEqual({
      'spec.displayName': 'FieldValueRequired',
      'spec.slug': 'FieldValueInvalid',
      'spec.plan': 'FieldValueNotSupported',
      'spec.runtime.replicas': 'FieldValueInvalid',
      'spec.domains[1]': 'FieldValueDuplicate',
      'spec.domains[2]': 'FieldValueInvalid',
      'spec.quotas.maxUsers': 'FieldValueInvalid',
      'spec.sso.clientId': 'FieldValueRequired',
      'spec.sso.secretRef': 'FieldValueRequired',
    });
    expect(status.message).toContain('spec.plan: Unsupported value: "platinum"');
    await expect(get('bad')).rejects.toThrow();
  });

  it('rejects wrong types and too-long strings', async () => {
    const status = await statusOf(
      create(
        tenant('types', { runtime: { replicas: 'three' }, suspended: 'yes', displayName: 'x'.repeat(201) }),
      ),
    );
    const reasons = Object.fromEntries((status.details?.causes ?? []).map((c) => [c.field, c.reason]));
    expect(reasons).toEqual({
      'spec.displayName': 'FieldValueTooLong',
      'spec.runtime.replicas': 'FieldValueTypeInvalid',
      'spec.suspended': 'FieldValueTypeInvalid',
    });
  });

  it('keeps slug and isolation immutable, while other fields may change', async () => {
    await create(tenant('immut', { isolation: 'dedicated' }));
    const status = await statusOf(
      custom.patchClusterCustomObject(
        { ...tenantsGvp, name: 'immut', body: { spec: { slug: 'renamed', isolation: 'pooled' } } },
        merge,
      ),
    );
    expect(status.details?.causes).toEqual([
      {
        reason: 'FieldValueInvalid',
        field: 'spec.slug',
        message: 'Invalid value: "renamed": slug is immutable',
      },
      {
        reason: 'FieldValueInvalid',
        field: 'spec.isolation',
        message: 'Invalid value: "pooled": isolation is immutable',
      },
    ]);
    const ok = (await custom.patchClusterCustomObject(
      { ...tenantsGvp, name: 'immut', body: { spec: { runtime: { replicas: 3 } } } },
      merge,
    )) as TenantObject;
    expect(ok.spec.runtime?.replicas).toBe(3);
    expect(ok.spec.slug).toBe('immut');
  });

  it('accepts quantities as strings or integers in runtime.resources', async () => {
    const created = await create(
      tenant('res', {
        runtime: { resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: 1 } } },
      }),
    );
    expect(created.spec.runtime?.resources).toEqual({
      requests: { cpu: '250m', memory: '256Mi' },
      limits: { cpu: 1 },
    });
    const status = await statusOf(
      create(tenant('res-bad', { runtime: { resources: { limits: { cpu: 'lots' } } } })),
    );
    expect(status.details?.causes?.[0]?.field).toBe('spec.runtime.resources.limits.cpu');
  });
});
