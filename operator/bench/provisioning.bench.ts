/**
 * Provisioning speed and the MySQL connections it holds, through the local driver exactly as production
 * runs it (schema, user, grants, tenant migrations as the tenant's own user, routing entry).
 *
 *   npm run bench provisioning      (BENCH_TENANTS=1000 BENCH_CONCURRENCY=8 by default)
 *
 * New tenants get the baseline schema in one go (tenant-runtime/src/db/baseline.ts). BENCH_MIGRATIONS=steps
 * provisions them the old way instead, every migration one after another, and records the run as
 * `operator-provisioning-step-by-step`: run both back to back for a before/after under the same load.
 *
 * Targets from the issue: one tenant Ready in ≤ 2 s; 1,000 tenants provisioned in ≤ 5 min.
 */
import { randomBytes } from 'node:crypto';
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import { createTestPlatformDb, testServerUrl } from '@solar/platform-api/testing/platform-db';
import { percentile, recordBenchmark } from '../../scripts/bench-kit.js';
import { createLocalDriver, type LocalDriver } from '../src/local/driver.js';
import { tenantMigrations } from '@solar/tenant-runtime/db/migrate';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SINGLE_RUNS = 7;
const STEP_BY_STEP = process.env.BENCH_MIGRATIONS === 'steps';

const platform = await createTestPlatformDb();
const admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 4 } });
const secretKey = randomBytes(32);
const logger = createLogger('provisioning-bench', 'warn');
const drivers: LocalDriver[] = [];
const newDriver = () => {
  const d = createLocalDriver({
    platformDb: platform.db,
    adminDbUrl: testServerUrl,
    secretKey,
    runtimeEndpoint: 'http://127.0.0.1:4100',
    logger,
    // an explicit list is applied step by step (no baseline)
    ...(STEP_BY_STEP ? { migrations: tenantMigrations } : {}),
  });
  drivers.push(d);
  return d;
};

async function status(name: string): Promise<number> {
  const [[row]] = (await admin.raw('SHOW GLOBAL STATUS LIKE ?', [name])) as [[{ Value: string }], unknown];
  return Number(row.Value);
}

/** Samples Threads_connected until stopped; returns the peak and the mean. */
function sampleConnections(db: Knex, everyMs = 250) {
  const samples: number[] = [];
  let on = true;
  const loop = (async () => {
    while (on) {
      samples.push(await status('Threads_connected').catch(() => NaN));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  void db;
  return async () => {
    on = false;
    await loop;
    const ok = samples.filter(Number.isFinite);
    return { peak: Math.max(...ok), mean: ok.reduce((a, b) => a + b, 0) / ok.length };
  };
}

const ids: string[] = [];
try {
  const baselineConnections = await status('Threads_connected');

  // 1. create → Ready for one tenant, sequentially, median of several
  const one = newDriver();
  const single: number[] = [];
  for (let i = 0; i < SINGLE_RUNS; i++) {
    const t0 = performance.now();
    const rec = await one.apply({ slug: `bench-one-${i}`, displayName: `Bench One ${i}` });
    single.push(performance.now() - t0);
    if (rec.status.phase !== 'Ready')
      throw new Error(`bench-one-${i} ended ${rec.status.phase}: ${rec.status.lastError}`);
    ids.push(rec.id);
  }

  // 2. many tenants, CONCURRENCY at a time (one driver per worker, as separate operator shards would)
  const stopSampling = sampleConnections(admin);
  let next = 0;
  const perTenant: number[] = [];
  const failures: string[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      const d = newDriver();
      while (next < TENANTS) {
        const i = next++;
        const s = performance.now();
        const rec = await d.apply({ slug: `bench-${i}`, displayName: `Bench ${i}` });
        perTenant.push(performance.now() - s);
        ids.push(rec.id);
        if (rec.status.phase !== 'Ready') failures.push(`${rec.slug}: ${rec.status.lastError}`);
      }
    }),
  );
  const wallMs = performance.now() - t0;
  const during = await stopSampling();
  for (const d of drivers) await d.close();
  await new Promise((r) => setTimeout(r, 500));
  const after = await status('Threads_connected');

  const median = percentile(single, 50);
  recordBenchmark({
    name: STEP_BY_STEP ? 'operator-provisioning-step-by-step' : 'operator-provisioning',
    figures: {
      'one tenant create→Ready median ms': Math.round(median),
      'one tenant target ms': 2000,
      'one tenant met': median <= 2000,
      [`${TENANTS} tenants wall s (concurrency ${CONCURRENCY})`]: Math.round(wallMs / 100) / 10,
      'many tenants target s': (300 * TENANTS) / 1000,
      'many tenants met': wallMs <= 300 * TENANTS && failures.length === 0,
      'tenants per s': Math.round((TENANTS / wallMs) * 1000 * 10) / 10,
      'per-tenant p50 ms (under load)': Math.round(percentile(perTenant, 50)),
      'per-tenant p95 ms (under load)': Math.round(percentile(perTenant, 95)),
      'failed tenants': failures.length,
      'MySQL Threads_connected before': baselineConnections,
      'MySQL Threads_connected peak during': during.peak,
      'MySQL Threads_connected mean during': Math.round(during.mean * 10) / 10,
      'MySQL Threads_connected after drivers closed': after,
    },
    details: {
      singleRunsMs: single.map(Math.round),
      failures: failures.slice(0, 20),
      concurrency: CONCURRENCY,
      newTenantSchema: STEP_BY_STEP ? 'every migration step by step' : 'baseline, then newer migrations',
    },
  });
} finally {
  // clean up every schema and user the benchmark made
  for (const d of drivers) await d.close().catch(() => undefined);
  let i = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (i < ids.length) {
        const id = ids[i++]!;
        await admin.raw(`DROP DATABASE IF EXISTS ${ident(`t_${id}`)}`);
        await admin.raw("DROP USER IF EXISTS ?@'%'", [`t_${id}`]);
      }
    }),
  );
  await admin.destroy();
  await platform.drop();
}
