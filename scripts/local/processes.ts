import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export interface ProgramSpec {
  name: string;
  /** argv after `node` */
  args: string[];
  env: Record<string, string>;
  /** URL polled until it answers 2xx */
  readyUrl: string;
}

export interface RunningProgram {
  name: string;
  child: ChildProcess;
  logFile: string;
}

/**
 * The parent's environment minus what a test runner injects (vitest sets MODE, TEST, VITEST…), so a program
 * started from a test sees the same environment as one started by `npm start`.
 */
function inheritedEnv(): Record<string, string | undefined> {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^(VITEST|VITE_|__VITEST)/.test(key) ||
      ['MODE', 'TEST', 'DEV', 'PROD', 'SSR', 'BASE_URL'].includes(key)
    )
      delete env[key];
  }
  return env;
}

/** Starts a program as a child process, its output going to .data/logs/<name>.log (or the console). */
export async function startProgram(
  spec: ProgramSpec,
  logDir: string,
  toConsole: boolean,
): Promise<RunningProgram> {
  await mkdir(logDir, { recursive: true });
  const logFile = join(logDir, `${spec.name}.log`);
  const child = spawn(process.execPath, spec.args, {
    env: { ...inheritedEnv(), ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = toConsole ? process.stdout : createWriteStream(logFile, { flags: 'a' });
  child.stdout!.pipe(out, { end: false });
  child.stderr!.pipe(toConsole ? process.stderr : out, { end: false });
  return { name: spec.name, child, logFile };
}

/** Polls `url` until it answers 2xx; fails early if the process exits. */
export async function waitUntilReady(
  program: RunningProgram,
  url: string,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  program.child.once('exit', (code) => (exited = code ?? 1));
  while (Date.now() < deadline) {
    if (exited !== null)
      throw new Error(`${program.name} exited with code ${exited} — see ${program.logFile}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${program.name} was not ready at ${url} after ${timeoutMs} ms — see ${program.logFile}`);
}

/** SIGTERM every program (they drain and close their pools), then wait for them to exit. */
export async function stopAll(programs: RunningProgram[], graceMs = 15_000): Promise<void> {
  await Promise.all(
    programs.map(
      (p) =>
        new Promise<void>((resolve) => {
          if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
          const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
          p.child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          p.child.kill('SIGTERM');
        }),
    ),
  );
}
