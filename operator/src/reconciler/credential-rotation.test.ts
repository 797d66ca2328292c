import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { createLocalCredentialStore } from '../local/credential-store.js';
import { createLocalDriver, type LocalDriverOptions } from '../local/driver.js';
import { tryLogin } from './mysql-admin.js';
import type { FaultPoint } from './types.js';

const secretKey = randomBytes(32);
let platform: TestPlatformDb;
let admin: Knex;
const created: string[] = [];

const driverWith = (extra: Partial<LocalDriverOptions> = {}) =>
  createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger: createLogger('operator-test', 'silent'),
    ...extra,
  });
const store = () => createLocalCredentialStore(platform.db, secretKey);
const login = (id: string, password: string) => tryLogin(testServerUrl, `t_${id}`, password, `t_${id}`);

beforeAll(async () => {
  platform = await createTestPlatformDb();
  admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
});
afterAll(async () => {
  for (const id of created) {
    await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
    await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
  }
  await admin?.destroy();
  await platform?.drop();
});

describe('credential rotation', () => {
  it('accepts old and new password during the grace period, then only the new one', async () => {
    const driver = driverWith({ rotationGraceMs: 400 });
    try {
      const rec = await driver.apply({ slug: 'rotate-co', displayName: 'Rotate Co' });
      created.push(rec.id);
      const old = (await store().get(rec.id))!;
      const openSession = createDb({
        url: testServerUrl,
        user: `t_${rec.id}`,
        password: old,
        database: `t_${rec.id}`,
        pool: { min: 1, max: 1 },
      });
      await openSession.raw('SELECT 1');

      const rotated = await driver.rotateCredentials('rotate-co');
      expect(rotated.status).toMatchObject({ phase: 'Ready', lastError: null });
      const fresh = (await store().get(rec.id))!;
      expect(fresh).not.toBe(old);
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 CSPRNG bytes, base64url
      expect(await login(rec.id, fresh)).toBe('ok');
      expect(await login(rec.id, old)).toBe('ok'); // runtimes that have not re-read the registry yet

      await new Promise((r) => setTimeout(r, 450));
      const settled = await driver.reconcile(rec.id);
      expect(settled.status.phase).toBe('Ready');
      expect(await login(rec.id, fresh)).toBe('ok');
      expect(await login(rec.id, old)).toBe('denied');
      // connections opened before the rotation were never interrupted
      expect(await openSession.raw('SELECT 1')).toBeTruthy();
      await openSession.destroy();
      expect(await store().rotation(rec.id)).toEqual({ next: null, rotatedAt: null });
      expect((await platform.db('tenants').where({ id: rec.id }).first()).db_password_sealed).toMatch(
        /^v1\./,
      );
    } finally {
      await driver.close();
    }
  });

  it.each(['before', 'after'] as const)(
    'a crash %s the rotate step still ends with one working, stored password',
    async (when) => {
      let crashes = 0;
      const slug = `rot-crash-${when}`;
      const setup = driverWith();
      const rec = await setup.apply({ slug, displayName: slug }).finally(() => setup.close());
      created.push(rec.id);
      const old = (await store().get(rec.id))!;
      const driver = driverWith({
        rotationGraceMs: 0,
        faults: (p: FaultPoint) => {
          if (p.step === 'rotate' && p.when === when && crashes === 0) {
            crashes++;
            throw new Error(`simulated crash ${when} rotate`);
          }
        },
      });
      try {
        await driver.rotateCredentials(slug);
        expect(crashes).toBe(1);
        // whatever happened, the stored current password logs in at every moment
        expect(await login(rec.id, (await store().get(rec.id))!)).toBe('ok');
        const healed = await driver.reconcile(rec.id);
        const again = await driver.reconcile(rec.id); // grace 0: retires the old password
        expect([healed.status.phase, again.status.phase, again.status.lastError]).toEqual([
          'Ready',
          'Ready',
          null,
        ]);
        const current = (await store().get(rec.id))!;
        expect(current).not.toBe(old);
        expect([await login(rec.id, current), await login(rec.id, old)]).toEqual(['ok', 'denied']);
      } finally {
        await driver.close();
      }
    },
  );
});
