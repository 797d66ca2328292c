/**
 * The front door's cost: platform-api against nginx (Debian package) proxying the same real tenant runtime
 * in the same run, and the edge cache's hit against its miss.
 *
 *   npm run bench proxy-vs-nginx        (BENCH_SECONDS=8 BENCH_CONNECTIONS=32 by default)
 *   BENCH_PROFILE=/tmp/prof BENCH_ONLY=platform-api npm run bench proxy-vs-nginx   (CPU profiles of both
 *                                       programs, one scenario; the figures then miss the others)
 *
 * The runtime and platform-api run as child processes from their own entry points (src/main.ts, production
 * config), so neither shares an event loop with the other or with this process; autocannon runs in a
 * worker thread where it can. Scenarios, each over keep-alive connections:
 *   runtime direct        POST /graphql straight to the runtime (reference)
 *   nginx                 the same POST through nginx (1 worker, keepalive upstream, generated config)
 *   platform-api          the same POST through platform-api (tenant, session, rate limit, internal token)
 *   edge miss / edge hit  GET /graphql persisted query (hash only, registered once) through platform-api's
 *                         edge cache; every miss has new variables, so a new key
 * Throughput runs use BENCH_CONNECTIONS connections; latency runs (p50/p99, autocannon's percentiles) use
 * one connection, so "added latency" is what a request pays rather than queueing.
 * Targets from the issue: platform-api ≥ 0.6 × nginx throughput, ≤ 1 ms added p50; hit ≥ 5 × miss throughput.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateInternalKeys, importInternalKey, signInternalToken } from '@solar/common';
import { provisionTestTenant } from '@solar/operator/testing';
// @ts-expect-error -- autocannon ships no type declarations; typed by the facade below
import autocannonImpl from 'autocannon';
import { recordBenchmark } from '../../scripts/bench-kit.js';
import { freePort, startFrontDoorPrograms, waitForHttp } from '../../scripts/bench-processes.js';
import { createIdentity } from '../src/identity/create-identity.js';
import { createTestPlatformDb } from '../src/testing/platform-db.js';

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = autocannonImpl as (options: {
  url: string;
  connections: number;
  duration: number;
  workers?: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: Array<CannonRequest & { setupRequest?: (req: CannonRequest) => CannonRequest }>;
}) => Promise<CannonResult>;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LEADS = 20;
/** true during the short warm-up run of each scenario */
let warming = false;
const TARGET = { throughputRatio: 0.6, addedP50Ms: 1, hitOverMiss: 5 };

// ── nginx: present, or installed from Debian, or the benchmark is skipped ──
const nginxFound = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? installNginx();
if (!nginxFound) {
  console.warn(
    'proxy-vs-nginx: SKIPPED — nginx is not installed and `apt-get install -y nginx-light` failed ' +
      '(run as root with network access, or install nginx yourself).',
  );
  process.exit(0);
}
const nginxBin: string = nginxFound;

const cleanups: Array<() => Promise<void> | void> = [];
try {
  // ── one platform database, one provisioned tenant, keys shared by the two programs ──
  const platform = await createTestPlatformDb();
  cleanups.push(() => platform.drop());
  const keys = await generateInternalKeys();
  const privateKey = await importInternalKey(keys.privateJwk);
  const secretKey = randomBytes(32);
  const [runtimePort, apiPort, nginxPort] = [await freePort(), await freePort(), await freePort()];
  const runtimeUrl = `http://127.0.0.1:${runtimePort}`;
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const tenant = await provisionTestTenant({
    platformDb: platform.db,
    secretKey,
    runtimeEndpoint: runtimeUrl,
  });
  cleanups.push(() => tenant.destroy());
  const password = 'correct horse battery staple';
  const identity = await createIdentity(platform.db, {
    tenantId: tenant.id,
    email: 'bench@bench.test',
    displayName: 'Bench',
    password,
  });
  // ── the two programs, each in its own process ──
  const programs = await startFrontDoorPrograms({
    platformUrl: platform.url,
    platformName: platform.name,
    redisUrl: REDIS_URL,
    runtimePort,
    apiPort,
    secretKey,
    keys,
  });
  cleanups.push(() => programs.stop());
  const nginx = startNginx(nginxBin, String(runtimePort), nginxPort);
  cleanups.push(() => nginx.stop());
  await Promise.all([waitForHttp(`http://127.0.0.1:${nginxPort}/healthz`)]);

  // ── seed: leads through the runtime, as the bench user (the tenant's first member: its admin) ──
  const runtimeToken = await signInternalToken(
    { tid: tenant.id, tslug: tenant.slug, sub: identity.id, sid: 'bench', scopes: ['*'] },
    privateKey,
    3600,
  );
  for (let i = 0; i < LEADS; i++) {
    const res = await postJson(`${runtimeUrl}/graphql`, `Bearer ${runtimeToken}`, {
      query: 'mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }',
      variables: {
        input: {
          firstName: `Lead${i}`,
          lastName: 'Bench',
          source: 'WEB_FORM',
          city: 'Phoenix',
          country: 'US',
        },
      },
    });
    if (res.status !== 200 || res.body.includes('"errors"')) throw new Error(`seeding failed: ${res.body}`);
  }
  const tenantHeader = { 'x-tenant': tenant.slug };
  const signIn = await fetch(`${apiUrl}/auth/sign-in`, {
    method: 'POST',
    headers: { ...tenantHeader, 'content-type': 'application/json', 'x-session-mode': 'bearer' },
    body: JSON.stringify({ email: 'bench@bench.test', password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const accessToken = ((await signIn.json()) as { token: string }).token;

  // ── the requests ──
  const query = '{ leads(first: 20) { totalCount edges { node { __typename id fullName status city } } } }';
  const postBody = JSON.stringify({ query });
  const post = (url: string, authorization: string, extra: Record<string, string> = {}) => ({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization, ...extra },
    body: postBody,
  });
  const persistedQuery =
    'query Leads($first: Int) { leads(first: $first) { totalCount edges { node { __typename id fullName status city } } } }';
  const hash = createHash('sha256').update(persistedQuery).digest('hex');
  const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }));
  const getPath = (variables: Record<string, unknown>) =>
    `/graphql?variables=${encodeURIComponent(JSON.stringify(variables))}&extensions=${extensions}`;
  const edgeHeaders = { ...tenantHeader, accept: 'application/json', authorization: `Bearer ${accessToken}` };

  // sanity: every path answers the same leads, and the cache says what it did
  const bodies = await Promise.all([
    postJson(`${runtimeUrl}/graphql`, `Bearer ${runtimeToken}`, { query }),
    postJson(`http://127.0.0.1:${nginxPort}/graphql`, `Bearer ${runtimeToken}`, { query }),
    postJson(`${apiUrl}/graphql`, `Bearer ${accessToken}`, { query }, tenantHeader),
  ]);
  if (new Set(bodies.map((b) => b.body)).size !== 1 || !bodies[0]!.body.includes(`"totalCount":${LEADS}`))
    throw new Error(`the three paths disagree: ${bodies.map((b) => b.body.slice(0, 120)).join(' | ')}`);
  // register the persisted query once (APQ: hash and text), then GETs carry the hash alone
  const registered = await postJson(
    `${apiUrl}/graphql`,
    `Bearer ${accessToken}`,
    {
      query: persistedQuery,
      variables: { first: 20 },
      extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
    },
    tenantHeader,
  );
  if (!registered.body.includes(`"totalCount":${LEADS}`)) throw new Error(`APQ register: ${registered.body}`);
  const cacheStates: Array<string | null> = [];
  for (const variables of [{ first: 20 }, { first: 20 }, { first: 20, n: -1 }]) {
    const res = await fetch(`${apiUrl}${getPath(variables)}`, { headers: edgeHeaders });
    await res.text();
    cacheStates.push(res.headers.get('x-edge-cache'));
  }
  if (cacheStates.join() !== 'MISS,HIT,MISS')
    throw new Error(`edge cache not caching: ${cacheStates.join()}`);

  let nonce = 0;
  const scenarios: Record<string, (connections: number) => Promise<CannonResult>> = {
    'runtime direct': (c) => cannon({ ...post(runtimeUrl, `Bearer ${runtimeToken}`), connections: c }),
    nginx: (c) =>
      cannon({ ...post(`http://127.0.0.1:${nginxPort}`, `Bearer ${runtimeToken}`), connections: c }),
    'platform-api': (c) => cannon({ ...post(apiUrl, `Bearer ${accessToken}`, tenantHeader), connections: c }),
    'edge miss': (c) =>
      cannon({
        url: apiUrl,
        connections: c,
        headers: edgeHeaders,
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: getPath({ first: 20, n: ++nonce }) }) },
        ],
      }),
    'edge hit': (c) =>
      cannon({
        url: apiUrl,
        connections: c,
        headers: edgeHeaders,
        requests: [{ method: 'GET', path: getPath({ first: 20 }) }],
      }),
  };

  const results: Record<string, { rps: number; p50: number; p99: number; p50at32: number; p99at32: number }> =
    {};
  const only = process.env.BENCH_ONLY;
  for (const [name, run] of Object.entries(scenarios)) {
    if (only && name !== only) continue;
    warming = true;
    await run(CONNECTIONS); // warm-up: JIT, connection pools, the hit's entry
    warming = false;
    const throughput = await run(CONNECTIONS);
    const latency = await run(1);
    for (const r of [throughput, latency])
      if (r.non2xx || r.errors || r.timeouts)
        throw new Error(`${name}: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`);
    results[name] = {
      rps: Math.round(throughput.requests.average),
      p50: latency.latency.p50,
      p99: latency.latency.p99,
      p50at32: throughput.latency.p50,
      p99at32: throughput.latency.p99,
    };
    console.warn(
      `${name}: ${results[name].rps} req/s @${CONNECTIONS} (p50 ${throughput.latency.p50} ms, p99 ${throughput.latency.p99} ms); ` +
        `p50 ${latency.latency.p50} ms, p99 ${latency.latency.p99} ms @1`,
    );
  }

  // the ratios need every scenario: a BENCH_ONLY run records nothing
  if (!only) record(results);
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
process.exit(0);

function record(
  results: Record<string, { rps: number; p50: number; p99: number; p50at32: number; p99at32: number }>,
): void {
  const r = (n: string) => results[n]!;
  const throughputRatio = r('platform-api').rps / r('nginx').rps;
  const addedP50 = r('platform-api').p50 - r('nginx').p50;
  const hitOverMiss = r('edge hit').rps / r('edge miss').rps;
  const figures: Record<string, number | string | boolean> = {};
  for (const [name, v] of Object.entries(results)) {
    figures[`${name} req/s @${CONNECTIONS}`] = v.rps;
    figures[`${name} p50 ms @1`] = v.p50;
    figures[`${name} p99 ms @1`] = v.p99;
  }
  Object.assign(figures, {
    'platform-api / nginx throughput': round(throughputRatio),
    'target ≥': TARGET.throughputRatio,
    'platform-api added p50 ms vs nginx': round(addedP50),
    'target added p50 ms ≤': TARGET.addedP50Ms,
    'edge hit / miss throughput': round(hitOverMiss),
    'target hit/miss ≥': TARGET.hitOverMiss,
    'throughput met': throughputRatio >= TARGET.throughputRatio,
    'added p50 met': addedP50 <= TARGET.addedP50Ms,
    'hit/miss met': hitOverMiss >= TARGET.hitOverMiss,
  });
  recordBenchmark({
    name: 'platform-api-proxy-vs-nginx',
    figures,
    details: {
      seconds: SECONDS,
      connections: CONNECTIONS,
      leads: LEADS,
      nginx: { bin: nginxBin, version: nginxVersion(nginxBin), workers: 1 },
      results,
      note:
        'runtime and platform-api are child processes (src/main.ts, NODE_ENV=production); nginx and autocannon ' +
        'are separate too, all on the same machine. Edge GETs carry the APQ hash only (registered once by POST). ' +
        'Latencies are autocannon percentiles in whole milliseconds.',
    },
  });
}

function cannon(
  options: Parameters<typeof autocannon>[0] extends infer O ? Omit<O & object, 'duration'> : never,
) {
  return autocannon({
    ...options,
    duration: warming ? 2 : SECONDS,
    // a worker thread keeps load generation off this process's event loop; setupRequest (the misses'
    // fresh keys) cannot cross into a worker, so the edge scenarios run without one (the servers are
    // child processes, so that costs them nothing)
    ...(options.requests ? {} : { workers: 1 }),
  } as Parameters<typeof autocannon>[0]);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

async function postJson(
  url: string,
  authorization: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization, ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
}

/** A program of this repo from its entry point, in its own Node process, stopped with SIGTERM. */
function installNginx(): string | undefined {
  console.warn('proxy-vs-nginx: nginx not found, installing nginx-light from Debian…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['install', '-y', 'nginx-light'],
    ['install', '-y', 'nginx'],
  ]) {
    const run = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (run.status === 0) return ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));
  }
  return undefined;
}

function nginxVersion(bin: string): string {
  return spawnSync(bin, ['-v'], { encoding: 'utf8' }).stderr.trim();
}

function startNginx(bin: string, runtimePort: string, port: number): { stop(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-nginx-'));
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream runtime {
    server 127.0.0.1:${runtimePort};
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://runtime;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`,
  );
  const child: ChildProcess = spawn(bin, ['-c', conf, '-p', dir], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  // never leave nginx behind, even if this process dies on an error
  process.once('exit', () => child.exitCode === null && child.kill('SIGTERM'));
  return {
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
