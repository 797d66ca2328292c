import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { createLocalDriver, type LocalDriver } from './driver.js';

let platform: TestPlatformDb;
let admin: Knex;
let driver: LocalDriver;
const created: string[] = [];

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
  driver = createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey: randomBytes(32),
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger: createLogger('operator-test', 'silent'),
  });
});
afterAll(async () => {
  await driver?.close();
  for (const id of created) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
});

describe('local spec store', () => {
  it('round-trips the whole spec, including fields without a column of their own', async () => {
    const spec = {
      slug: 'full-spec',
      displayName: 'Full Spec Co',
      plan: 'enterprise' as const,
      isolation: 'dedicated' as const,
      runtime: { version: '1.4.2', replicas: 3 },
      domains: ['crm.full-spec.com'],
      deletionPolicy: 'Snapshot' as const,
      preventDeletion: true,
      sso: {
        issuer: 'https://login.full-spec.com',
        clientId: 'solar-crm',
        secretRef: { name: 'full-spec-sso', key: 'client-secret' },
      },
      quotas: { maxUsers: 250, apiRequestsPerMinute: 600 },
    };
    const rec = await driver.apply(spec);
    created.push(rec.id);
    const read = await driver.get('full-spec');
    expect(read?.spec).toEqual({ ...spec, suspended: false, suspendMode: 'ReadOnly' });
    // the columns platform-api and the runtime read are written beside the JSON
    expect(await platform.db('tenants').where({ id: rec.id }).first()).toMatchObject({
      plan: 'enterprise',
      deletion_policy: 'Snapshot',
      suspend_mode: 'ReadOnly',
    });
    expect((await driver.apply(spec)).generation).toBe(1);
    expect((await driver.apply({ ...spec, quotas: { maxUsers: 300 } })).generation).toBe(2);
  });

  it('reads a row platform-api signup wrote (no spec JSON) with defaults, and columns win over JSON', async () => {
    const id = 'signupspec01';
    created.push(id);
    await platform.db('tenants').insert({ id, slug: 'signup-spec', display_name: 'Signup Spec' });
    expect((await driver.getById(id))?.spec).toMatchObject({
      runtime: { replicas: 1 },
      preventDeletion: false,
    });

    await driver.apply({ slug: 'signup-spec', displayName: 'Signup Spec', runtime: { replicas: 2 } });
    await platform.db('tenants').where({ id }).update({ suspended: true, suspend_mode: 'Blocked' });
    expect((await driver.getById(id))?.spec).toMatchObject({
      suspended: true,
      suspendMode: 'Blocked',
      runtime: { replicas: 2 },
    });
  });
});
