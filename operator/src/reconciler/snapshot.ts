import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { connectionFromUrl } from '@solar/common';

/**
 * A tenant's schema as one SQL file, written before a Snapshot deletion drops it. The dump goes to
 * `<dir>/<schema>.sql.partial` and is renamed to `<schema>.sql` only once verified, so a file with the final
 * name is always complete: after a crash, its presence is what tells the next pass the snapshot is done.
 */

export interface SnapshotResult {
  path: string;
  bytes: number;
  tables: number;
}

export const snapshotPath = (dir: string, schema: string) => join(dir, `${schema}.sql`);

/** Which dump program is installed: MariaDB's, else MySQL's. */
const DUMP_PROGRAMS = ['mariadb-dump', 'mysqldump'];

export async function dumpSchema(opts: {
  adminDbUrl: string;
  schema: string;
  /** base tables the dump must contain (from information_schema, read just before) */
  tables: readonly string[];
  dir: string;
}): Promise<SnapshotResult> {
  const final = snapshotPath(opts.dir, opts.schema);
  const partial = `${final}.partial`;
  await mkdir(opts.dir, { recursive: true, mode: 0o700 });
  await rm(partial, { force: true });
  const { host, port, user, password } = connectionFromUrl(opts.adminDbUrl);
  const args = [
    `--host=${host}`,
    `--port=${port}`,
    `--user=${user}`,
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--skip-lock-tables',
    `--result-file=${partial}`,
    '--databases',
    opts.schema,
  ];
  // the password goes through the environment, never argv (argv is visible to every local user)
  await runFirstAvailable(DUMP_PROGRAMS, args, { ...process.env, MYSQL_PWD: password });
  const verified = await verifyDump(partial, opts.tables);
  await rename(partial, final);
  return { path: final, ...verified };
}

/**
 * The dump is whole (the program wrote its closing "Dump completed" line) and holds a CREATE TABLE for every
 * table the schema had. Returns its size.
 */
export async function verifyDump(
  path: string,
  tables: readonly string[],
): Promise<{ bytes: number; tables: number }> {
  const { size } = await stat(path);
  // streamed line by line: a tenant's dump can be far larger than memory should hold
  const created = new Set<string>();
  let last = '';
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const m = /^CREATE TABLE `([^`]+)`/.exec(line);
    if (m) created.add(m[1]!);
    if (line.trim()) last = line.length > 200 ? '' : line;
  }
  if (!/^-- Dump completed/.test(last)) throw new Error(`snapshot ${path} is incomplete`);
  const missing = tables.filter((t) => !created.has(t));
  if (missing.length > 0) throw new Error(`snapshot ${path} lacks tables: ${missing.join(', ')}`);
  return { bytes: size, tables: tables.length };
}

/** A finished snapshot file (final name) if one exists. */
export async function existingSnapshot(dir: string, schema: string): Promise<string | null> {
  const path = snapshotPath(dir, schema);
  try {
    await stat(path);
    return path;
  } catch {
    return null;
  }
}

function runFirstAvailable(
  programs: readonly string[],
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<void> {
  const [program, ...rest] = programs;
  if (!program) return Promise.reject(new Error('neither mariadb-dump nor mysqldump is installed'));
  return new Promise<void>((resolve, reject) => {
    const child = spawn(program, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') runFirstAvailable(rest, args, env).then(resolve, reject);
      else reject(err);
    });
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${program} exited with ${code}: ${stderr.trim().slice(0, 500)}`));
    });
  });
}
