/**
 * What the end-to-end benchmarks share: the programs run as child processes from their own entry points
 * (so none shares an event loop with the load generator), free ports, and waiting for /healthz.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export interface Program {
  /** the process id, for CPU accounting */
  pid: number;
  stop(): Promise<void>;
}

/**
 * Node flags the request-serving images set (platform-api/Dockerfile, tenant-runtime/Dockerfile; a test keeps
 * them equal), so the benchmarks run the programs as they ship. A 64 MB young-generation semi-space: a list
 * request allocates a few MB (rows, GraphQL results, JSON), and with the default 16 MB most of the runtime's
 * CPU went to scavenges; measured in sales-through-platform at about 1.5 × the throughput.
 */
export const SERVER_NODE_OPTIONS = '--max-semi-space-size=64';

/**
 * Starts `entry` (a path from the repository root) with tsx and `env` on top of this process's environment.
 * BENCH_PROFILE=<dir> writes a CPU profile of it on exit, for finding what costs.
 */
export function startProgram(name: string, entry: string, env: Record<string, string>): Program {
  const profile = process.env.BENCH_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...profile, '--import', 'tsx', join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM') console.error(`${name} exited (${code ?? signal})`);
  });
  // never leave it behind, even if this process dies on an error
  process.once('exit', () => child.exitCode === null && child.kill('SIGKILL'));
  return {
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

export async function waitForHttp(url: string, timeoutMs = 30_000): Promise<void> {
  for (const started = Date.now(); Date.now() - started < timeoutMs;) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

export interface ClosedLoopResult {
  /** every request's latency in ms, in completion order */
  latencies: number[];
  requestsPerSecond: number;
  /** answers that were not 2xx, or failed */
  failures: number;
}

/**
 * A closed-loop load: `concurrency` callers, each sending its next request as soon as the previous answer is
 * read, for `seconds`. Every latency is kept, so any percentile can be read exactly (autocannon reports
 * fixed ones, without p95).
 */
export async function closedLoop(
  concurrency: number,
  seconds: number,
  send: (caller: number) => Promise<boolean>,
): Promise<ClosedLoopResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, caller) => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        const ok = await send(caller).catch(() => false);
        latencies.push(performance.now() - t0);
        if (!ok) failures++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { latencies, requestsPerSecond: latencies.length / elapsed, failures };
}

export interface FrontDoorPrograms {
  runtime: Program;
  api: Program;
  /** stops both */
  stop(): Promise<void>;
}

/**
 * The tenant runtime and platform-api as production runs them, each in its own process, sharing a platform
 * database and the internal-token key pair; rate limits scaled out of the way, Redis keys under the
 * database's name. Resolves once both answer /healthz.
 */
export async function startFrontDoorPrograms(o: {
  platformUrl: string;
  platformName: string;
  redisUrl: string;
  runtimePort: number;
  apiPort: number;
  /** the tenant secrets' sealing key, which the runtime needs to open tenant DB passwords */
  secretKey: Buffer;
  keys: { publicJwk: unknown; privateJwk: unknown };
}): Promise<FrontDoorPrograms> {
  const common = {
    NODE_ENV: 'production',
    NODE_OPTIONS: SERVER_NODE_OPTIONS,
    LOG_LEVEL: 'warn',
    DATABASE_URL: o.platformUrl,
    REDIS_URL: o.redisUrl,
  };
  const keyPrefix = `bench:${o.platformName}:`;
  const runtime = startProgram('tenant-runtime', 'tenant-runtime/src/main.ts', {
    ...common,
    PORT: String(o.runtimePort),
    PLATFORM_SECRET_KEY: o.secretKey.toString('base64'),
    INTERNAL_TOKEN_PUBLIC_KEY: JSON.stringify(o.keys.publicJwk),
  });
  const api = startProgram('platform-api', 'platform-api/src/main.ts', {
    ...common,
    PORT: String(o.apiPort),
    PLATFORM_SECRET_KEY: randomBytes(32).toString('base64'),
    INTERNAL_TOKEN_PRIVATE_KEY: JSON.stringify(o.keys.privateJwk),
    COOKIE_SECURE: 'false',
    REDIS_KEY_PREFIX: keyPrefix,
    EDGE_CACHE_CHANNEL_PREFIX: `${keyPrefix}changes:`,
    RATE_LIMIT_SCALE: '1000000',
  });
  try {
    await Promise.all([
      waitForHttp(`http://127.0.0.1:${o.runtimePort}/healthz`),
      waitForHttp(`http://127.0.0.1:${o.apiPort}/healthz`),
    ]);
  } catch (err) {
    await Promise.all([runtime.stop(), api.stop()]);
    throw err;
  }
  return { runtime, api, stop: async () => void (await Promise.all([runtime.stop(), api.stop()])) };
}

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux); null if it is gone. */
function cpuMsOf(pid: number): number | null {
  try {
    // fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The first process named one of `names` (e.g. mariadbd, mysqld), if any runs on this machine. */
export function pidOf(...names: string[]): number | null {
  for (const name of names) {
    try {
      const pid = Number(execFileSync('pidof', ['-s', name], { encoding: 'utf8' }).trim());
      if (pid) return pid;
    } catch {
      // not running under that name
    }
  }
  return null;
}

/**
 * Where the CPU went during `run`: ms of CPU per named process (this process as `load generator`), for
 * telling which program a request's cost sits in when all of them share the machine's cores.
 */
export async function cpuDuring<T>(
  pids: Record<string, number | null>,
  run: () => Promise<T>,
): Promise<{ result: T; cpuMs: Record<string, number> }> {
  const known = Object.entries(pids).filter((e): e is [string, number] => e[1] !== null);
  const before = known.map(([, pid]) => cpuMsOf(pid));
  const self = process.cpuUsage();
  const result = await run();
  const used = process.cpuUsage(self);
  const cpuMs: Record<string, number> = {};
  known.forEach(([name, pid], i) => {
    const [a, b] = [before[i], cpuMsOf(pid)];
    if (a != null && b != null) cpuMs[name] = b - a;
  });
  cpuMs['load generator'] = (used.user + used.system) / 1000;
  return { result, cpuMs };
}
