import { createDb, type Logger } from '@solar/common';
import { ensurePlatformDatabase, migratePlatform } from '@solar/platform-api/db/migrate';
import { createIdentity } from '@solar/platform-api/identity/create-identity';
import { createLocalDriver } from '@solar/operator/local/driver';
import { createLocalCredentialStore } from '@solar/operator/local/credential-store';
import { demoLeadTeam, seedDemoAccess } from './demo-access.js';
import { demoLeads } from './demo-leads.js';
import { demoSales, seedDemoSales } from './demo-sales.js';
import { seedDemoWork } from './demo-work.js';

export const DEMO_PASSWORD = 'SolarDemo-2026!';

/** The acme staff, one per default role a solar installer has (their roles and teams: demo-access.ts). */
export const DEMO_USERS = [
  { email: 'ava.admin@acme.example', name: 'Ava Martinez', title: 'admin' },
  { email: 'marcus.sales@acme.example', name: 'Marcus Chen', title: 'sales manager' },
  { email: 'priya.rep@acme.example', name: 'Priya Patel', title: 'sales rep (Phoenix team)' },
  { email: 'jordan.rep@acme.example', name: 'Jordan Lee', title: 'sales rep (Austin team)' },
  { email: 'sam.pm@acme.example', name: 'Sam Okafor', title: 'project manager' },
  { email: 'luis.field@acme.example', name: 'Luis Ramirez', title: 'installer / field tech' },
  { email: 'grace.support@acme.example', name: 'Grace Kim', title: 'support agent' },
  { email: 'noah.analyst@acme.example', name: 'Noah Schmidt', title: 'read-only analyst' },
] as const;

const DEMO_LEAD_COUNT = 300;

export interface DemoTenant {
  id: string;
  slug: string;
  displayName: string;
}

/**
 * Migrates the platform schema, provisions the `acme` tenant through the operator's local driver, and seeds its
 * staff and leads. Idempotent: identities are created only when missing and demo leads have fixed ids
 * (INSERT IGNORE), so a second run writes nothing.
 */
export async function provisionDemo(o: {
  databaseUrl: string;
  secretKey: Buffer;
  runtimeEndpoint: string;
  logger: Logger;
  onStep: (what: string) => void;
}): Promise<DemoTenant> {
  await ensurePlatformDatabase(o.databaseUrl);
  const platformDb = createDb({ url: o.databaseUrl, pool: { min: 0, max: 4 }, label: 'platform' });
  try {
    const migrated = await migratePlatform(platformDb);
    o.onStep(
      migrated.applied.length
        ? `platform schema migrated (${migrated.applied.length} applied)`
        : 'platform schema up to date',
    );

    const serverUrl = new URL(o.databaseUrl);
    serverUrl.pathname = '/';
    const driver = createLocalDriver({
      platformDb,
      adminDbUrl: serverUrl.toString(),
      secretKey: o.secretKey,
      runtimeEndpoint: o.runtimeEndpoint,
      logger: o.logger,
    });
    let tenant;
    try {
      tenant = await driver.apply({ slug: 'acme', displayName: 'Acme Solar', plan: 'growth' });
    } finally {
      await driver.close();
    }
    if (tenant.status.phase !== 'Ready' || !tenant.status.database) {
      throw new Error(
        `demo tenant acme is ${tenant.status.phase}: ${tenant.status.lastError ?? 'unknown reason'}`,
      );
    }
    o.onStep(
      `tenant acme ready (schema ${tenant.status.database.schema}, version ${tenant.status.schemaVersion})`,
    );

    const staff = [];
    for (const u of DEMO_USERS) {
      staff.push(
        await createIdentity(platformDb, {
          tenantId: tenant.id,
          email: u.email,
          displayName: u.name,
          password: DEMO_PASSWORD,
        }),
      );
    }

    const password = await createLocalCredentialStore(platformDb, o.secretKey).get(tenant.id);
    const tenantDb = createDb({
      url: o.databaseUrl,
      user: tenant.status.database.user,
      password: password!,
      database: tenant.status.database.schema,
      pool: { min: 0, max: 1 },
      label: tenant.status.database.schema,
    });
    try {
      const people = staff.map((s, i) => ({
        id: s.id,
        email: DEMO_USERS[i]!.email,
        name: DEMO_USERS[i]!.name,
      }));
      const accessRows = await seedDemoAccess(tenantDb, people);
      o.onStep(
        accessRows
          ? `seeded the org tree, members and roles (${accessRows} rows)`
          : 'org tree and roles already present',
      );

      // reps own most leads; the first owner (the admin) creates them; each lead belongs to a team
      const owners = [staff[0]!.id, staff[2]!.id, staff[3]!.id, staff[1]!.id];
      const leads = demoLeads(DEMO_LEAD_COUNT, owners).map((l) => ({
        ...l,
        unit_id: demoLeadTeam(l, people),
      }));
      const count = async () =>
        Number(((await tenantDb('leads').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);
      const before = await count();
      for (let i = 0; i < leads.length; i += 100) {
        await tenantDb('leads')
          .insert(leads.slice(i, i + 100))
          .onConflict()
          .ignore();
      }
      const inserted = (await count()) - before;
      // demo leads seeded before leads had teams get theirs (once: afterwards none is without a team)
      for (const team of new Set(leads.map((l) => l.unit_id)))
        await tenantDb('leads')
          .whereIn(
            'id',
            leads.filter((l) => l.unit_id === team).map((l) => l.id),
          )
          .whereNull('unit_id')
          .update({ unit_id: team });
      o.onStep(
        inserted
          ? `seeded ${DEMO_USERS.length} demo users and ${inserted} demo leads`
          : 'demo users and leads already present',
      );
      o.onStep(await seedDemoSales(tenantDb, people));
      const sales = demoSales(people);
      o.onStep(
        await seedDemoWork(tenantDb, { staff: people, ...sales, leads, now: Date.now() }, o.secretKey),
      );
    } finally {
      await tenantDb.destroy();
    }
    return { id: tenant.id, slug: tenant.slug, displayName: tenant.spec.displayName };
  } finally {
    await platformDb.destroy();
  }
}
