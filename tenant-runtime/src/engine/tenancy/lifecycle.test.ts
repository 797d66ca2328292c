import { createLogger } from '@solar/common';
import { createLocalDriver, type LocalDriver } from '@solar/operator/local/driver';
import type { TestTenant } from '@solar/operator/testing';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../../testing/test-runtime.js';

/*
 * The tenant lifecycle as a user of the runtime sees it, driven by the operator's real local driver:
 * suspension in two stages, deletion, and a DB password rotation under load.
 */

const CREATE = /* GraphQL */ `
  mutation ($input: CreateLeadInput!) {
    createLead(input: $input) {
      lead {
        id
      }
    }
  }
`;
const COUNT = '{ leads { totalCount } }';
const lead = (n: number) => ({ input: { firstName: `Load${n}`, lastName: 'Test', source: 'OTHER' } });

let rt: TestRuntime;
let driver: LocalDriver;
let tenant: TestTenant;
let token: string;

beforeAll(async () => {
  rt = await startTestRuntime();
  tenant = await rt.provisionTenant();
  token = await rt.tokenFor(tenant);
  driver = createLocalDriver({
    platformDb: rt.platform.db,
    adminDbUrl: testServerUrl,
    secretKey: rt.secretKey,
    runtimeEndpoint: rt.url,
    logger: createLogger('operator-test', 'silent'),
    rotationGraceMs: 300,
  });
});
afterAll(async () => {
  await driver?.close();
  await rt?.close();
});

const spec = (extra: Record<string, unknown> = {}) => ({
  slug: tenant.slug,
  displayName: `Test ${tenant.slug}`,
  ...extra,
});

describe('suspension in two stages', () => {
  it('ReadOnly serves reads and refuses writes; Blocked refuses reads too with a clear 403; resume restores', async () => {
    expect((await rt.graphql(token, CREATE, lead(0))).status).toBe(200);

    const readOnly = await driver.apply(spec({ suspended: true }));
    expect(readOnly.status.phase).toBe('Suspended');
    expect((await rt.graphql(token, COUNT)).body.data.leads.totalCount).toBe(1);
    const write = await rt.graphql(token, CREATE, lead(1));
    expect([write.status, write.body.errors[0].extensions.code]).toEqual([423, 'TENANT_SUSPENDED']);

    const blocked = await driver.apply(spec({ suspended: true, suspendMode: 'Blocked' }));
    expect(blocked.status.conditions.find((c) => c.type === 'Suspended')).toMatchObject({
      status: 'True',
      reason: 'SuspendedBlocked',
    });
    const read = await rt.graphql(token, COUNT);
    expect(read.status).toBe(403);
    expect(read.body.error.code).toBe('TENANT_BLOCKED');
    expect(read.body.error.message).toMatch(/suspended.*contact/i);
    expect((await rt.graphql(token, CREATE, lead(2))).status).toBe(403);

    const resumed = await driver.apply(spec({ suspended: false }));
    expect(resumed.status.phase).toBe('Ready');
    expect((await rt.graphql(token, CREATE, lead(3))).status).toBe(200);
    expect((await rt.graphql(token, COUNT)).body.data.leads.totalCount).toBe(2);
  });
});

describe('credential rotation under load', () => {
  it('keeps every request succeeding while the password rotates and the old one is retired', async () => {
    const before = await rt.runtime.registry.get(tenant.id);
    const statuses: number[] = [];
    let stop = false;
    let n = 100;
    // eight clients reading and writing back to back, for the whole rotation
    const clients = Array.from({ length: 8 }, (_, i) =>
      (async () => {
        while (!stop) {
          const res = i % 2 ? await rt.graphql(token, COUNT) : await rt.graphql(token, CREATE, lead(n++));
          statuses.push(res.status);
        }
      })(),
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      const rotated = await driver.rotateCredentials(tenant.slug);
      expect([rotated.status.phase, rotated.status.lastError]).toEqual(['Ready', null]);
      await new Promise((r) => setTimeout(r, 400)); // past the 300 ms grace
      const settled = await driver.reconcile(tenant.id); // retires the old password
      expect(settled.status.phase).toBe('Ready');
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      stop = true;
      await Promise.all(clients);
    }
    expect(statuses.length).toBeGreaterThan(50);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    // the runtime now logs in with the new password alone (the old one is refused by MySQL by now)
    const after = await rt.runtime.registry.get(tenant.id);
    expect(after?.db_password_sealed).not.toBe(before?.db_password_sealed);
    expect((await rt.graphql(token, COUNT)).status).toBe(200);
  });
});

describe('deletion', () => {
  it('answers 404 once the tenant is deleted, whatever the policy left behind', async () => {
    await driver.apply(spec({ deletionPolicy: 'Retain' }));
    const gone = await driver.delete(tenant.slug);
    expect(gone.deletedAt).toBeInstanceOf(Date);
    const res = await rt.graphql(token, COUNT);
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('TENANT_NOT_FOUND');
  });
});
