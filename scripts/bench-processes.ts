/**
 * What the end-to-end benchmarks share: the programs run as child processes from their own entry points
 * (so none shares an event loop with the load generator), free ports, and waiting for /healthz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export interface Program {
  stop(): Promise<void>;
}

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
