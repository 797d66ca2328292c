/**
 * 1,000 tenants served by one pooled runtime: what that costs in MySQL connections, memory and latency, for
 * the two connection strategies (tenant-runtime/src/engine/tenancy/tenant-pools.ts).
 *
 *   npm run bench tenant-connections      (BENCH_TENANTS=1000 by default; provisioning them takes minutes)
 *
 * Part A — the runtime as production wires it (default strategy), over HTTP: three rounds of one GraphQL
 *          request to every tenant in random order, 16 clients. Latency p50/p95, tenant connections held
 *          during and after the idle timeout, RSS/heap per tenant.
 * Part B — the two strategies side by side, at the pool level (the same runtime code minus HTTP):
 *          switch-user (shared connections, COM_CHANGE_USER on checkout) vs per-tenant pools (LRU of 200 and
 *          of 1,000), same request spread, same idle timeout.
 *
 * MariaDB's default max_connections (151) cannot hold per-tenant pools for 1,000 active tenants; the bench
 * raises it to 2,000 for its own session (SET GLOBAL, restored at the end) so the cost can be measured.
 */
import { createDb, createLogger, ident, type Knex } from '@solar/common';
import { createLocalDriver } from '@solar/operator/local/driver';
import { testServerUrl } from '@solar/platform-api/testing/platform-db';
import { percentile, recordBenchmark } from '../../scripts/bench-kit.js';
import { createTenantPools, type TenantConnectionStrategy } from '../src/engine/tenancy/tenant-pools.js';
import { startTestRuntime } from '../src/testing/test-runtime.js';

const TENANTS = Number(process.env.BENCH_TENANTS ?? 1000);
const CLIENTS = 16;
const ROUNDS = 3;
const PROVISION_CONCURRENCY = 6;
const logger = createLogger('tenant-connections-bench', 'warn');

const admin = createDb({ url: testServerUrl, database: null, pool: { min: 0, max: 2 } });
const [[maxConn]] = (await admin.raw("SHOW GLOBAL VARIABLES LIKE 'max_connections'")) as [
  [{ Value: string }],
];
const originalMaxConnections = Number(maxConn.Value);
await admin.raw('SET GLOBAL max_connections = 2000');

const gc = () => (globalThis as { gc?: () => void }).gc?.();
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const kib = (bytes: number) => Math.round(bytes / 1024);

/** Connections currently open as any tenant user (t_…), server-side. */
async function tenantConnections(db: Knex = admin): Promise<number> {
  const [[row]] = (await db.raw(
    "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE USER LIKE 't\\\\_%'",
  )) as [[{ n: number }]];
  return Number(row.n);
}

function sampler() {
  let peak = 0;
  let on = true;
  const loop = (async () => {
    while (on) {
      peak = Math.max(peak, await tenantConnections().catch(() => 0));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return async () => {
    on = false;
    await loop;
    return peak;
  };
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Runs `fn` over every item, CLIENTS at a time; returns per-call latencies and failures. */
async function spread<T>(items: readonly T[], fn: (item: T) => Promise<boolean>) {
  const latencies: number[] = [];
  let failures = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        const t0 = performance.now();
        const ok = await fn(item).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) failures++;
      }
    }),
  );
  return { latencies, failures };
}

const rt = await startTestRuntime({
  env: { TENANT_REGISTRY_TTL_MS: '5000', LOG_LEVEL: 'warn' },
});
const ids: string[] = [];
try {
  // --- provision TENANTS real tenants (schema, user, grants, migrations) --------------------------------
  const t0 = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: PROVISION_CONCURRENCY }, async () => {
      const driver = createLocalDriver({
        platformDb: rt.platform.db,
        adminDbUrl: testServerUrl,
        secretKey: rt.secretKey,
        runtimeEndpoint: rt.url,
        logger,
      });
      try {
        while (n < TENANTS) {
          const i = n++;
          const rec = await driver.apply({ slug: `conn-bench-${i}`, displayName: `Conn Bench ${i}` });
          ids.push(rec.id);
          if (rec.status.phase !== 'Ready') throw new Error(`${rec.slug}: ${rec.status.lastError}`);
        }
      } finally {
        await driver.close();
      }
    }),
  );
  const provisionS = (performance.now() - t0) / 1000;
  const tenants = (await rt.platform.db('tenants').whereIn('id', ids).select('id', 'slug')) as Array<{
    id: string;
    slug: string;
  }>;

  // --- Part A: the real runtime over HTTP -------------------------------------------------------------
  let tokens = new Map<string, string>();
  const mint = async () => {
    tokens = new Map(await Promise.all(tenants.map(async (t) => [t.id, await rt.tokenFor(t)] as const)));
  };
  const request = async (t: { id: string }) => {
    const res = await fetch(`${rt.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${tokens.get(t.id)}`,
      },
      body: JSON.stringify({ query: '{ leads { totalCount } }' }),
    });
    await res.arrayBuffer();
    return res.status === 200;
  };
  await mint();
  gc();
  const before = process.memoryUsage();
  const stopA = sampler();
  const http: number[] = [];
  let httpFailures = 0;
  const startA = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    await mint(); // internal tokens live 60 s
    const round = await spread(shuffled(tenants), request);
    http.push(...round.latencies);
    httpFailures += round.failures;
  }
  const httpS = (performance.now() - startA) / 1000;
  const peakA = await stopA();
  const heldRightAfter = await tenantConnections();
  await new Promise((r) => setTimeout(r, 32_000)); // past the default 30 s idle timeout
  gc();
  const idle = process.memoryUsage();
  const heldIdle = await tenantConnections();
  const stats = rt.runtime.pools.stats();
  await rt.runtime.close(); // frees the runtime's tenant connections before part B

  // --- Part B: strategies side by side --------------------------------------------------------------
  const passwords = new Map<string, string>();
  {
    const { open } = await import('@solar/common');
    const rows = (await rt.platform.db('tenants').whereIn('id', ids)) as Array<{
      id: string;
      db_password_sealed: string;
    }>;
    for (const row of rows) passwords.set(row.id, open(row.db_password_sealed, rt.secretKey, row.id));
  }
  const variants: Array<{ label: string; strategy: TenantConnectionStrategy; maxOpen: number }> = [
    { label: 'switch-user (40 shared)', strategy: 'switch-user', maxOpen: 200 },
    { label: 'per-tenant LRU 200', strategy: 'per-tenant', maxOpen: 200 },
    { label: 'per-tenant LRU 1000', strategy: 'per-tenant', maxOpen: 1000 },
  ];
  const compare: Record<string, number | string> = {};
  for (const v of variants) {
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const pools = createTenantPools({
      url: testServerUrl,
      maxPerTenant: 5,
      maxOpen: v.maxOpen,
      logger,
      strategy: v.strategy,
      maxConnections: 40,
      idleTimeoutMs: 5_000,
      retireAfterMs: 2_000,
    });
    const stop = sampler();
    const all: number[] = [];
    let failures = 0;
    const start = performance.now();
    for (let r = 0; r < ROUNDS; r++) {
      const round = await spread(shuffled(ids), async (id) => {
        const db = pools.get({
          tenantId: id,
          schema: `t_${id}`,
          user: `t_${id}`,
          password: passwords.get(id)!,
        });
        await db('leads').count({ n: '*' });
        return true;
      });
      all.push(...round.latencies);
      failures += round.failures;
    }
    const seconds = (performance.now() - start) / 1000;
    const peak = await stop();
    await new Promise((r) => setTimeout(r, 7_000)); // idle timeout + retire grace
    gc();
    const heapIdle = process.memoryUsage().heapUsed;
    const held = await tenantConnections();
    await pools.close();
    compare[`${v.label}: p50 ms`] = Math.round(percentile(all, 50) * 100) / 100;
    compare[`${v.label}: p95 ms`] = Math.round(percentile(all, 95) * 100) / 100;
    compare[`${v.label}: queries/s`] = Math.round((ROUNDS * ids.length) / seconds);
    compare[`${v.label}: peak tenant connections`] = peak;
    compare[`${v.label}: connections after idle`] = held;
    compare[`${v.label}: heap KiB per tenant (idle)`] =
      Math.round(((heapIdle - heapBefore) / ids.length / 1024) * 10) / 10;
    compare[`${v.label}: failures`] = failures;
  }

  recordBenchmark({
    name: 'tenant-runtime-tenant-connections',
    figures: {
      tenants: TENANTS,
      'provisioned in s (concurrency 6)': Math.round(provisionS),
      [`A http requests (${ROUNDS}×${TENANTS}, ${CLIENTS} clients)`]: http.length,
      'A strategy': stats.strategy,
      'A http p50 ms': Math.round(percentile(http, 50) * 10) / 10,
      'A http p95 ms': Math.round(percentile(http, 95) * 10) / 10,
      'A http requests/s': Math.round(http.length / httpS),
      'A failures': httpFailures,
      'A peak tenant connections': peakA,
      'A tenant connections right after': heldRightAfter,
      'A tenant connections after 30 s idle': heldIdle,
      'A RSS MiB before / idle after': `${mib(before.rss)} / ${mib(idle.rss)}`,
      'A RSS KiB per idle tenant': kib((idle.rss - before.rss) / TENANTS),
      'A heap KiB per idle tenant':
        Math.round(((idle.heapUsed - before.heapUsed) / TENANTS / 1024) * 10) / 10,
      ...compare,
    },
    details: { originalMaxConnections, clients: CLIENTS, rounds: ROUNDS, switches: stats.switches },
  });
} finally {
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
  await rt.close();
  await admin.raw('SET GLOBAL max_connections = ?', [originalMaxConnections]);
  await admin.destroy();
}
