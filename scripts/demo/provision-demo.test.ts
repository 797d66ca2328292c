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
  const leads = await server.raw(
    `SELECT COUNT(*) AS n, MAX(updated_at) AS last, COUNT(DISTINCT unit_id) AS teams FROM ${ident(schema)}.leads`,
  );
  const access = await server.raw(
    `SELECT (SELECT COUNT(*) FROM ${ident(schema)}.org_units) AS units,
            (SELECT COUNT(*) FROM ${ident(schema)}.members) AS members,
            (SELECT COUNT(*) FROM ${ident(schema)}.memberships) AS memberships,
            (SELECT COUNT(*) FROM ${ident(schema)}.role_grants) AS grants,
            (SELECT version FROM ${ident(schema)}.access_state) AS version`,
  );
  const work = await server.raw(
    `SELECT (SELECT COUNT(*) FROM ${ident(schema)}.proposals) AS proposals,
            (SELECT MAX(updated_at) FROM ${ident(schema)}.proposals) AS proposals_changed,
            (SELECT COUNT(*) FROM ${ident(schema)}.activities) AS activities,
            (SELECT MAX(due_at) FROM ${ident(schema)}.activities) AS last_due,
            (SELECT COUNT(*) FROM ${ident(schema)}.lead_forms) AS forms,
            (SELECT MAX(last_activity_at) FROM ${ident(schema)}.leads) AS lead_activity`,
  );
  return JSON.stringify([tenants[0], identities[0], leads[0], access[0], work[0]]);
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

  it('gives acme an org tree, every demo user a role, and every lead a team', async () => {
    const [roles] = await server.raw(
      `SELECT i.email, g.role_id FROM ${ident(name)}.identities i
         JOIN ${ident(schema)}.role_grants g ON g.member_id = i.id ORDER BY i.email`,
    );
    expect(
      Object.fromEntries(roles.map((r: { email: string; role_id: string }) => [r.email, r.role_id])),
    ).toEqual({
      'ava.admin@acme.example': 'admin',
      'grace.support@acme.example': 'support_agent',
      'jordan.rep@acme.example': 'sales_rep',
      'luis.field@acme.example': 'field_tech',
      'marcus.sales@acme.example': 'sales_manager',
      'noah.analyst@acme.example': 'analyst',
      'priya.rep@acme.example': 'sales_rep',
      'sam.pm@acme.example': 'project_manager',
    });
    const [teams] = await server.raw(
      `SELECT u.name, COUNT(*) AS n FROM ${ident(schema)}.leads l
         JOIN ${ident(schema)}.org_units u ON u.id = l.unit_id GROUP BY u.name ORDER BY u.name`,
    );
    expect(teams.map((t: { name: string }) => t.name)).toEqual([
      'Austin Sales',
      'Dallas Sales',
      'Phoenix Sales',
      'Tucson Sales',
    ]);
    expect(teams.reduce((s: number, t: { n: number }) => s + Number(t.n), 0)).toBe(300);
  });

  it('covers every module: proposals in every status with versions, activities of every kind, a lead form', async () => {
    const [statuses] = await server.raw(
      `SELECT status, COUNT(*) AS n, MAX(version) AS v FROM ${ident(schema)}.proposals GROUP BY status ORDER BY status`,
    );
    expect(statuses.map((r: { status: string }) => r.status).sort()).toEqual([
      'accepted',
      'draft',
      'expired',
      'rejected',
      'sent',
    ]);
    expect(Math.max(...statuses.map((r: { v: number }) => Number(r.v)))).toBe(2);
    const [[proposal]] = await server.raw(`SELECT result_json FROM ${ident(schema)}.proposals LIMIT 1`);
    const result = JSON.parse(proposal.result_json);
    expect(result.system.lines.length).toBeGreaterThanOrEqual(3);
    expect(result.financing.map((f: { kind: string }) => f.kind)).toEqual(
      expect.arrayContaining(['cash', 'loan']),
    );
    const [kinds] = await server.raw(
      `SELECT kind, subject_type, COUNT(*) AS n FROM ${ident(schema)}.activities GROUP BY kind, subject_type`,
    );
    const seen = new Set(kinds.map((k: { kind: string; subject_type: string }) => k.kind));
    expect([...seen].sort()).toEqual(['call', 'email', 'meeting', 'note', 'task']);
    expect(new Set(kinds.map((k: { subject_type: string }) => k.subject_type))).toEqual(
      new Set(['lead', 'account', 'contact', 'site', 'opportunity', 'proposal']),
    );
    const [[tasks]] = await server.raw(
      `SELECT SUM(due_at < NOW(3) AND completed_at IS NULL) AS overdue,
              SUM(DATE(due_at) = UTC_DATE() AND completed_at IS NULL) AS today
         FROM ${ident(schema)}.activities WHERE kind = 'task'`,
    );
    expect(Number(tasks.overdue)).toBeGreaterThan(0);
    expect(Number(tasks.today)).toBeGreaterThan(0);
    const [forms] = await server.raw(`SELECT name, enabled FROM ${ident(schema)}.lead_forms`);
    expect(forms).toHaveLength(1);
  });

  it('a second start changes nothing', async () => {
    const before = await snapshot(schema);
    const again = await run();
    expect(`t_${again.id}`).toBe(schema);
    expect(await snapshot(schema)).toBe(before);
  });
});
