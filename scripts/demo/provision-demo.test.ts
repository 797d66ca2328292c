import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, createLogger, ident } from '@solar/common';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import { DEMO_USERS, provisionDemo } from './provision-demo.js';

const name = `platform_demo_${randomBytes(4).toString('hex')}`;
const url = new URL(testServerUrl);
url.pathname = `/${name}`;
const server = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
const secretKey = randomBytes(32);
const run = () =>
  provisionDemo({
    databaseUrl: url.toString(),
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger: createLogger('demo-test', 'silent'),
    onStep: () => {},
  });

async function snapshot(schema: string) {
  const tenants = await server.raw(
    `SELECT id, generation, observed_generation, updated_at, db_password_sealed FROM ${ident(name)}.tenants`,
  );
  const identities = await server.raw(
    `SELECT id, password_hash, updated_at FROM ${ident(name)}.identities ORDER BY id`,
  );
  const leads = await server.raw(`SELECT COUNT(*) AS n, MAX(updated_at) AS last FROM ${ident(schema)}.leads`);
  return JSON.stringify([tenants[0], identities[0], leads[0]]);
}

let schema = '';
beforeAll(async () => {
  const demo = await run();
  schema = `t_${demo.id}`;
});
afterAll(async () => {
  await server.raw(`DROP DATABASE IF EXISTS ${ident(name)}`);
  if (schema) await server.raw(`DROP DATABASE IF EXISTS ${ident(schema)}`);
  if (schema) await server.raw(`DROP USER IF EXISTS ?@'%'`, [schema]);
  await server.destroy();
});

describe('npm start provisioning of the demo tenant', () => {
  it('provisions acme with every demo user and a few hundred leads', async () => {
    const identities = await server.raw(`SELECT email FROM ${ident(name)}.identities`);
    expect(identities[0].map((r: { email: string }) => r.email).sort()).toEqual(
      DEMO_USERS.map((u) => u.email).sort(),
    );
    const [[{ n }]] = await server.raw(`SELECT COUNT(*) AS n FROM ${ident(schema)}.leads`);
    expect(n).toBe(300);
  });

  it('a second start changes nothing', async () => {
    const before = await snapshot(schema);
    const again = await run();
    expect(`t_${again.id}`).toBe(schema);
    expect(await snapshot(schema)).toBe(before);
  });
});
