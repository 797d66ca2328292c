/**
 * The front door's cost: platform-api against nginx (Debian package) proxying the same real tenant runtime
 * in the same run, and the edge cache's hit against its miss.
 *
 *   npm run bench proxy-vs-nginx        (BENCH_SECONDS=8 BENCH_CONNECTIONS=32 by default)
 *
 * Scenarios, each driven by autocannon over keep-alive connections:
 *   runtime direct        POST /graphql straight to the runtime (reference)
 *   nginx                 the same POST through nginx (1 worker, keepalive upstream, generated config)
 *   platform-api          the same POST through the real platform-api (tenant, session, rate limit, token)
 *   edge miss / edge hit  GET /graphql persisted query through the edge cache; every miss has a new key
 * Throughput runs use BENCH_CONNECTIONS connections; latency (p50/p99) runs use one connection, so "added
 * latency" is what a request pays rather than queueing. The edge cache is not wired into app.ts yet: it is
 * mounted here in a bench-only app with the same middleware order (tenant → session → cache → proxy).
 * Targets from the issue: platform-api ≥ 0.6 × nginx throughput, ≤ 1 ms added p50; hit ≥ 5 × miss throughput.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createLogger,
  generateInternalKeys,
  importInternalKey,
  serve,
  signInternalToken,
} from '@solar/common';
// @ts-expect-error -- autocannon ships no type declarations; typed by the facade below
import autocannonImpl from 'autocannon';
import { recordBenchmark } from '../../scripts/bench-kit.js';
import { startTestRuntime } from '../../tenant-runtime/src/testing/test-runtime.js';
import { loadPlatformConfig } from '../src/config.js';
import { createEdgeCacheStore } from '../src/edge-cache/cache-store.js';
import { startChangeSubscriber } from '../src/edge-cache/change-subscriber.js';
import { edgeCache } from '../src/edge-cache/edge-cache.js';
import { errorHandler } from '../src/http/error-handler.js';
import { createKoa } from '../src/http/koa.js';
import { requestId } from '../src/http/request-id.js';
import { requestLog } from '../src/http/request-log.js';
import { createIdentity } from '../src/identity/create-identity.js';
import { graphqlRoutes } from '../src/proxy/graphql-routes.js';
import { createUpstreamPools } from '../src/proxy/upstream-pools.js';
import { connectRedis } from '../src/redis/redis-client.js';
import { startPlatformApi } from '../src/server.js';
import { deriveAccessTokenKey } from '../src/sessions/access-token.js';
import { authenticate } from '../src/sessions/authenticate.js';
import { resolveTenant } from '../src/tenancy/resolve-tenant.js';
import { createTenantRegistry } from '../src/tenancy/tenant-registry.js';

interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
}
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
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
const LEADS = 20;
/** true during the short warm-up run of each scenario */
let warming = false;
const TARGET = { throughputRatio: 0.6, addedP50Ms: 1, hitOverMiss: 5 };

// ── nginx: present, or installed from Debian, or the benchmark is skipped ──
const nginxBin = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p)) ?? installNginx();
if (!nginxBin) {
  console.warn(
    'proxy-vs-nginx: SKIPPED — nginx is not installed and `apt-get install -y nginx-light` failed ' +
      '(run as root with network access, or install nginx yourself).',
  );
  process.exit(0);
}

/**
 * graphql-routes.ts aborts the upstream body when a client leaves mid-answer; the aborted undici body then
 * emits 'error' with no listener left (Koa listens once), which would crash the process. autocannon leaves
 * with requests in flight at the end of every run, so count these here and report them (a front-door bug).
 */
let abortedBodies = 0;
process.on('uncaughtException', (err: Error & { code?: string }) => {
  if (err.code !== 'UND_ERR_ABORTED') throw err;
  abortedBodies++;
});

const cleanups: Array<() => Promise<void> | void> = [];
try {
  // ── a real runtime with a provisioned tenant, trusting our platform-api's signing key ──
  const keys = await generateInternalKeys();
  const privateKey = await importInternalKey(keys.privateJwk);
  const rt = await startTestRuntime({ env: { INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(keys.publicJwk) } });
  cleanups.push(() => rt.close());
  const tenant = await rt.provisionTenant();
  const password = 'correct horse battery staple';
  const identity = await createIdentity(rt.platform.db, {
    tenantId: tenant.id,
    email: 'bench@bench.test',
    displayName: 'Bench',
    password,
  });
  const internalToken = () =>
    signInternalToken(
      { tid: tenant.id, tslug: tenant.slug, sub: identity.id, sid: 'bench', scopes: ['*'] },
      privateKey,
      3600,
    );
  const runtimeToken = await internalToken();
  // the first member of a tenant becomes its admin, so the bench user sees every lead
  for (let i = 0; i < LEADS; i++) {
    const res = await rt.graphql(
      runtimeToken,
      'mutation($input: CreateLeadInput!) { createLead(input: $input) { lead { id } } }',
      {
        input: {
          firstName: `Lead${i}`,
          lastName: 'Bench',
          source: 'WEB_FORM',
          city: 'Phoenix',
          country: 'US',
        },
      },
    );
    if (res.status !== 200 || res.body.errors) throw new Error(`seeding failed: ${JSON.stringify(res.body)}`);
  }

  // ── the real platform-api on the runtime's platform database ──
  const secretKey = randomBytes(32).toString('base64');
  const config = loadPlatformConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATABASE_URL: rt.platform.url,
    PLATFORM_SECRET_KEY: secretKey,
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(keys.privateJwk),
    COOKIE_SECURE: 'false',
    REDIS_KEY_PREFIX: `bench:${rt.platform.name}:`,
    RATE_LIMIT_SCALE: '1000000',
  });
  const api = await startPlatformApi(config, { db: rt.platform.db });
  cleanups.push(() => api.close());
  // fetch may not set Host, so the tenant is named the way API clients on a shared host do
  const tenantHeader = { 'x-tenant': tenant.slug };
  const signIn = await fetch(`${api.url}/auth/sign-in`, {
    method: 'POST',
    headers: { ...tenantHeader, 'content-type': 'application/json', 'x-session-mode': 'bearer' },
    body: JSON.stringify({ email: 'bench@bench.test', password }),
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
  const accessToken = ((await signIn.json()) as { token: string }).token;

  // ── nginx with a generated config, proxying to the same runtime ──
  const nginxPort = await freePort();
  const nginx = startNginx(nginxBin, new URL(rt.url).port, nginxPort);
  cleanups.push(() => nginx.stop());
  await waitForPort(nginxPort);

  // ── bench-only app with the edge cache (not yet in app.ts), same order as the real front door ──
  const logger = createLogger('bench', 'silent');
  const redis = connectRedis(config.REDIS_URL, logger);
  const store = createEdgeCacheStore({
    client: redis.client,
    keyPrefix: config.REDIS_KEY_PREFIX,
    ttlSeconds: 300,
  });
  const subscriber = startChangeSubscriber({
    redis,
    store,
    logger,
    channelPrefix: `${config.REDIS_KEY_PREFIX}changes:`,
  });
  await subscriber.subscribed;
  const pools = createUpstreamPools({ timeoutMs: 15_000 });
  const app = createKoa({ proxy: false });
  app.silent = true;
  app.use(requestId());
  app.use(requestLog(logger));
  app.use(errorHandler());
  app.use(resolveTenant(createTenantRegistry(rt.platform.db, { ttlMs: 3_000 }), config.BASE_DOMAIN));
  app.use(
    authenticate({
      db: rt.platform.db,
      accessKey: deriveAccessTokenKey(secretKey),
      cookieSecure: false,
      ttlHours: 12,
      maxDays: 30,
    }),
  );
  app.use(edgeCache({ store, redis, logger }));
  app.use(graphqlRoutes({ pools, internalKey: privateKey, timeoutMs: 15_000 }).routes());
  const edge = await serve(app.callback(), {
    port: 0,
    host: '127.0.0.1',
    logger,
    graceMs: 1_000,
    handleSignals: false,
  });
  cleanups.push(async () => {
    await edge.close();
    await pools.close();
    await subscriber.close();
    await redis.close();
  });
  const edgeUrl = `http://127.0.0.1:${edge.port}`;

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
  const hash = (await import('node:crypto')).createHash('sha256').update(persistedQuery).digest('hex');
  // APQ "register" shape (hash and text): the runtime has no persisted-operation store yet
  const getPath = (variables: Record<string, unknown>) =>
    `/graphql?query=${encodeURIComponent(persistedQuery)}&variables=${encodeURIComponent(JSON.stringify(variables))}` +
    `&extensions=${encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: hash } }))}`;
  const edgeHeaders = { ...tenantHeader, accept: 'application/json', authorization: `Bearer ${accessToken}` };

  // sanity: every path answers the same leads, and the cache says what it did
  const direct = await fetch(`${rt.url}/graphql`, post(rt.url, `Bearer ${runtimeToken}`));
  const viaNginx = await fetch(`http://127.0.0.1:${nginxPort}/graphql`, post('', `Bearer ${runtimeToken}`));
  const viaApi = await fetch(`${api.url}/graphql`, post('', `Bearer ${accessToken}`, tenantHeader));
  const bodies = await Promise.all([direct, viaNginx, viaApi].map((r) => r.text()));
  if (new Set(bodies).size !== 1 || !bodies[0]!.includes('"totalCount":20'))
    throw new Error(`the three paths disagree: ${bodies.map((b) => b.slice(0, 120)).join(' | ')}`);
  const first = await fetch(`${edgeUrl}${getPath({ first: 20 })}`, { headers: edgeHeaders });
  const second = await fetch(`${edgeUrl}${getPath({ first: 20 })}`, { headers: edgeHeaders });
  await first.text();
  await second.text();
  if (first.headers.get('x-edge-cache') !== 'MISS' || second.headers.get('x-edge-cache') !== 'HIT')
    throw new Error(
      `edge cache not caching: ${first.headers.get('x-edge-cache')}, ${second.headers.get('x-edge-cache')}`,
    );

  let nonce = 0;
  const scenarios: Record<string, (connections: number) => Promise<CannonResult>> = {
    'runtime direct': (c) => cannon({ ...post(rt.url, `Bearer ${runtimeToken}`), connections: c }),
    nginx: (c) =>
      cannon({ ...post(`http://127.0.0.1:${nginxPort}`, `Bearer ${runtimeToken}`), connections: c }),
    'platform-api': (c) =>
      cannon({ ...post(api.url, `Bearer ${accessToken}`, tenantHeader), connections: c }),
    'edge miss': (c) =>
      cannon({
        url: edgeUrl,
        connections: c,
        headers: edgeHeaders,
        requests: [
          { method: 'GET', setupRequest: (req) => ({ ...req, path: getPath({ first: 20, n: ++nonce }) }) },
        ],
      }),
    'edge hit': (c) =>
      cannon({
        url: edgeUrl,
        connections: c,
        headers: edgeHeaders,
        requests: [{ method: 'GET', path: getPath({ first: 20 }) }],
      }),
  };

  const results: Record<string, { rps: number; p50: number; p99: number; latencyRps: number }> = {};
  for (const [name, run] of Object.entries(scenarios)) {
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
      latencyRps: Math.round(latency.requests.average),
    };
    console.warn(
      `${name}: ${results[name].rps} req/s @${CONNECTIONS}; p50 ${latency.latency.p50} ms, p99 ${latency.latency.p99} ms @1`,
    );
  }

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
      uncaughtAbortedUpstreamBodies: abortedBodies,
      note: 'runtime, platform-api and the edge app share this process (nginx and the load generator do not); edge cache mounted in a bench-only app (not yet wired into app.ts); runtime GETs use the APQ register shape (hash + query text)',
    },
  });
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
process.exit(0);

function cannon(
  options: Parameters<typeof autocannon>[0] extends infer O ? Omit<O & object, 'duration'> : never,
) {
  return autocannon({
    ...options,
    duration: warming ? 2 : SECONDS,
    // a worker thread keeps load generation off the servers' event loop; setupRequest (the misses'
    // fresh keys) cannot cross into a worker, so the edge scenarios (hit and miss alike) run without one
    ...(options.requests ? {} : { workers: 1 }),
  } as Parameters<typeof autocannon>[0]);
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

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

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/`).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('nginx did not start');
}
