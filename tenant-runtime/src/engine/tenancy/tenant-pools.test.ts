import { randomBytes } from 'node:crypto';
import { createDb, createLogger } from '@solar/common';
import { provisionTestTenant, type TestTenant } from '@solar/operator/testing';
import {
  createTestPlatformDb,
  testServerUrl,
  type TestPlatformDb,
} from '@solar/platform-api/testing/platform-db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantPools, type TenantConnectionStrategy, type TenantPools } from './tenant-pools.js';

const logger = createLogger('tenant-pools-test', 'silent');
let platform: TestPlatformDb;
let a: TestTenant;
let b: TestTenant;
const open: TenantPools[] = [];

const creds = (t: TestTenant, password = t.password) => ({
  tenantId: t.id,
  schema: t.schema,
  user: t.user,
  password,
});
const pools = (strategy: TenantConnectionStrategy, maxConnections = 1) => {
  const p = createTenantPools({
    url: testServerUrl,
    maxPerTenant: 5,
    maxOpen: 100,
    logger,
    strategy,
    maxConnections,
  });
  open.push(p);
  return p;
};
async function whoAmI(p: TenantPools, t: TestTenant): Promise<string> {
  const [[row]] = (await p.get(creds(t)).raw('SELECT CURRENT_USER() AS u, DATABASE() AS d')) as [
    [{ u: string; d: string }],
  ];
  return `${row.u} ${row.d}`;
}

beforeAll(async () => {
  platform = await createTestPlatformDb();
  const secretKey = randomBytes(32);
  a = await provisionTestTenant({ platformDb: platform.db, secretKey });
  b = await provisionTestTenant({ platformDb: platform.db, secretKey });
});
afterAll(async () => {
  await Promise.all(open.map((p) => p.close()));
  await a?.destroy();
  await b?.destroy();
  await platform?.drop();
});

describe.each(['switch-user', 'per-tenant'] as const)('tenant connections (%s)', (strategy) => {
  it("runs every query as the calling tenant's own user; MySQL refuses the other tenant's schema", async () => {
    const p = pools(strategy);
    for (let i = 0; i < 3; i++) {
      expect(await whoAmI(p, a)).toBe(`${a.user}@% ${a.schema}`);
      expect(await whoAmI(p, b)).toBe(`${b.user}@% ${b.schema}`);
    }
    await expect(p.get(creds(b)).raw(`SELECT * FROM \`${a.schema}\`.leads`)).rejects.toThrow(/denied/i);
  });

  it('keeps each tenant right under concurrent interleaved load', async () => {
    const p = pools(strategy, 2);
    const who = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 3 ? whoAmI(p, a) : whoAmI(p, b)).then((w) => [i, w] as const),
      ),
    );
    for (const [i, w] of who) expect(w).toBe(i % 3 ? `${a.user}@% ${a.schema}` : `${b.user}@% ${b.schema}`);
  });
});

describe('switch-user: one physical connection, many tenants', () => {
  it('holds one connection for both tenants and switches identity on checkout', async () => {
    const p = pools('switch-user', 1);
    await whoAmI(p, a);
    await whoAmI(p, b);
    await whoAmI(p, a);
    expect(p.stats()).toMatchObject({ strategy: 'switch-user', open: 1, switches: 2 });
  });

  it("never lets session state (variables, temporary tables) cross from one tenant's checkout to another's", async () => {
    const p = pools('switch-user', 1);
    await p.get(creds(a)).raw("SET @secret = 'tenant-a-only'");
    await p.get(creds(a)).raw('CREATE TEMPORARY TABLE scratch (v INT)');
    const [[row]] = (await p.get(creds(b)).raw('SELECT @secret AS s')) as [[{ s: string | null }]];
    expect(row.s).toBeNull();
    // back on A, the temporary table is gone too: the switch reset the session
    await expect(p.get(creds(a)).raw('SELECT * FROM scratch')).rejects.toThrow(/doesn't exist/);
  });

  it('replaces a shared connection the server killed (e.g. a tenant being revoked) without failing others', async () => {
    const p = pools('switch-user', 1);
    await whoAmI(p, a);
    const admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 1 } });
    try {
      const [ids] = (await admin.raw('SELECT ID AS id FROM information_schema.PROCESSLIST WHERE USER = ?', [
        a.user,
      ])) as [Array<{ id: number }>];
      for (const { id } of ids) await admin.raw('KILL CONNECTION ?', [Number(id)]);
    } finally {
      await admin.destroy();
    }
    expect(await whoAmI(p, b)).toBe(`${b.user}@% ${b.schema}`);
    expect(await whoAmI(p, a)).toBe(`${a.user}@% ${a.schema}`);
  });

  it('closes a connection whose switch is refused, and keeps serving the others', async () => {
    const p = pools('switch-user', 1);
    await whoAmI(p, a);
    await expect(p.get(creds(b, 'not-the-password')).raw('SELECT 1')).rejects.toThrow(/denied/i);
    expect(p.stats().open).toBe(0);
    expect(await whoAmI(p, a)).toBe(`${a.user}@% ${a.schema}`);
  });
});
