import { spawn } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of await readdir(path)) newest = Math.max(newest, await newestMtime(join(path, entry)));
  return newest;
}

/**
 * What the web build is made of besides web/ itself: the shared kit, and the runtime's proposal engine,
 * which the builder bundles to show live totals.
 */
const BUNDLED_FROM_ELSEWHERE = ['../common/src', '../tenant-runtime/src/modules/proposals'];

/** Builds the web app (vite build) unless web/build is newer than every source file. Returns whether it built. */
export async function ensureWebBuild(webDir: string): Promise<boolean> {
  const built = await stat(join(webDir, 'build/index.js')).catch(() => null);
  const sources = Math.max(
    ...(await Promise.all(
      ['src', 'static', 'svelte.config.js', 'vite.config.ts', 'package.json', ...BUNDLED_FROM_ELSEWHERE].map(
        (p) => newestMtime(join(webDir, p)),
      ),
    )),
  );
  if (built && built.mtimeMs > sources) return false;
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: webDir, stdio: 'inherit' });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`web build failed (exit ${code})`)),
    );
  });
  return true;
}
