import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_OPTIONS } from '../bench-processes.js';

/**
 * There is no Docker engine or registry on these machines, so the images are checked statically: what a
 * `docker build` from the repository root would need (every COPY source present and not excluded by
 * .dockerignore), and what the image promises at run time (multi-stage, non-root numeric USER, pinned
 * base images, an existing entry point, health probes). The Tiltfile is checked the same way.
 */

const repo = resolve(import.meta.dirname, '../..');
const programs = ['operator', 'platform-api', 'tenant-runtime', 'web'] as const;

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Dockerfile instructions with line continuations joined; comments kept apart (they document health). */
function parseDockerfile(text: string): { instructions: Instruction[]; comments: string[] } {
  const instructions: Instruction[] = [];
  const comments: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!.trim();
    if (line.startsWith('#')) {
      comments.push(line.slice(1).trim());
      continue;
    }
    if (!line) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) {
      i += 1;
      const next = lines[i]!.trim();
      if (next.startsWith('#')) continue;
      line = `${line.slice(0, -1).trim()} ${next}`;
    }
    const m = /^(\S+)\s*(.*)$/.exec(line)!;
    instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: start + 1 });
  }
  return { instructions, comments };
}

/** Splits into stages: each FROM begins one; ARGs before the first FROM are build-wide defaults. */
function stagesOf(instructions: Instruction[]) {
  const globalArgs = new Map<string, string>();
  const stages: Array<{ image: string; name?: string; body: Instruction[] }> = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const [image = '', as, name] = ins.args.split(/\s+/);
      const resolved = image.replace(/^\$\{(\w+)\}$|^\$(\w+)$/, (_, a?: string, b?: string) => {
        return globalArgs.get((a ?? b)!) ?? '';
      });
      stages.push({ image: resolved, ...(as?.toUpperCase() === 'AS' && name ? { name } : {}), body: [] });
    } else if (stages.length === 0 && ins.keyword === 'ARG') {
      const [k, v = ''] = ins.args.split('=');
      globalArgs.set(k!, v);
    } else stages.at(-1)?.body.push(ins);
  }
  return stages;
}

/** COPY/ADD arguments: flags, then sources, then the destination (JSON array form too). */
function copyArgs(args: string): { flags: Record<string, string>; sources: string[]; dest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (let m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest); m; m = /^--(\w[\w-]*)=(\S+)\s+/.exec(rest)) {
    flags[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
  const parts = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : rest.split(/\s+/);
  return { flags, sources: parts.slice(0, -1), dest: parts.at(-1)! };
}

const dockerignore = readFileSync(join(repo, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));

/** .dockerignore semantics for the patterns we use: `**` any depth, `*` within a segment, prefix dirs. */
function ignored(path: string): boolean {
  const toRegex = (pattern: string) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '(?:.*/)?')
        .replace(/\*/g, '[^/]*')}(?:/.*)?$`,
    );
  let out = false;
  for (const p of dockerignore) {
    if (p.startsWith('!')) {
      if (toRegex(p.slice(1)).test(path)) out = false;
    } else if (toRegex(p).test(path)) out = true;
  }
  return out;
}

for (const program of programs) {
  describe(`${program}/Dockerfile`, () => {
    const text = readFileSync(join(repo, program, 'Dockerfile'), 'utf8');
    const { instructions, comments } = parseDockerfile(text);
    const stages = stagesOf(instructions);
    const final = stages.at(-1)!;
    const workdir = (stage: (typeof stages)[number]) =>
      stage.body.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';

    it('is multi-stage: the final image takes only built output from earlier stages', () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      expect(final.body.some((i) => i.keyword === 'COPY' && copyArgs(i.args).flags.from)).toBe(true);
      // no compiler toolchain or full dependency install in the final stage
      expect(final.body.filter((i) => i.keyword === 'RUN').map((i) => i.args)).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/npm (ci|install)/)]),
      );
    });

    it('runs as a non-root numeric uid in the final stage', () => {
      const user = final.body.filter((i) => i.keyword === 'USER').at(-1)?.args ?? '';
      expect(user).toMatch(/^\d+(:\d+)?$/);
      expect(Number(user.split(':')[0])).toBeGreaterThan(0);
      // nothing after USER switches back to root
      const afterUser = final.body.slice(final.body.findIndex((i) => i.keyword === 'USER') + 1);
      expect(afterUser.map((i) => i.keyword)).not.toContain('USER');
    });

    if (program === 'platform-api' || program === 'tenant-runtime')
      it('ships the Node flags the benchmarks run it with', () => {
        const env = final.body.filter((i) => i.keyword === 'ENV').map((i) => i.args);
        expect(env).toContain(`NODE_OPTIONS=${SERVER_NODE_OPTIONS}`);
      });

    it('pins every base image to a tag that is not latest', () => {
      for (const stage of stages) {
        if (stages.some((s) => s.name === stage.image)) continue; // FROM an earlier stage
        expect(stage.image, `FROM ${stage.image}`).toMatch(/^[\w./-]+(:[\w.-]+|@sha256:[0-9a-f]{64})$/);
        expect(stage.image).not.toMatch(/:latest$/);
      }
      expect(text).not.toMatch(/@latest\b/);
    });

    it('copies only paths that exist in the repository and that .dockerignore lets into the context', () => {
      const copies = instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD');
      expect(copies.length).toBeGreaterThan(0);
      for (const ins of copies) {
        const { flags, sources } = copyArgs(ins.args);
        if (flags.from) {
          expect(
            stages.map((s) => s.name),
            `line ${ins.line}: --from`,
          ).toContain(flags.from);
          continue;
        }
        for (const src of sources) {
          const rel = posix.normalize(src).replace(/\/$/, '');
          expect(existsSync(join(repo, rel)), `line ${ins.line}: ${src} exists`).toBe(true);
          expect(ignored(rel), `line ${ins.line}: ${src} is not in .dockerignore`).toBe(false);
        }
      }
    });

    it('starts a file the image really contains', () => {
      const cmd = final.body.filter((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT').at(-1);
      expect(cmd, 'CMD or ENTRYPOINT').toBeDefined();
      const argv = JSON.parse(cmd!.args) as string[]; // exec form: signals reach node, not a shell
      expect(argv[0]).toBe('node');
      const files = argv.slice(1).filter((a) => /\.(ts|js|mjs)$/.test(a));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const inImage = posix.resolve(workdir(final), file);
        // a file copied from the build context, or produced by an earlier stage and copied from it
        const copied = final.body
          .filter((i) => i.keyword === 'COPY')
          .map((i) => ({ ...copyArgs(i.args), line: i.line }))
          .find((c) => inImage.startsWith(posix.resolve(workdir(final), c.dest).replace(/\/?$/, '/')));
        expect(copied, `${file} is copied into the image`).toBeDefined();
        if (file.startsWith('/opt/tsx/')) {
          // the tsx stage installs the lockfile's version; its loader is where the CMD says
          const arg = /ARG TSX_VERSION=(\S+)/.exec(text)?.[1];
          const lock = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as {
            packages: Record<string, { version: string }>;
          };
          expect(arg).toBe(lock.packages['node_modules/tsx']?.version);
          expect(
            existsSync(join(repo, 'node_modules/tsx', file.slice('/opt/tsx/node_modules/tsx/'.length))),
          ).toBe(true);
        } else if (copied!.flags.from) {
          // produced by a build stage: web's adapter-node writes web/build/index.js
          const stage = stages.find((s) => s.name === copied!.flags.from)!;
          expect(stage.body.map((i) => i.args).join('\n')).toMatch(/vite build/);
          expect(readFileSync(join(repo, 'web/svelte.config.js'), 'utf8')).toMatch(/@sveltejs\/adapter-node/);
          expect(file).toBe('web/build/index.js');
        } else {
          const rel = posix.relative(workdir(final), inImage);
          expect(statSync(join(repo, rel)).isFile(), `${rel} exists`).toBe(true);
          expect(ignored(rel), `${rel} is not in .dockerignore`).toBe(false);
        }
      }
    });

    it('has a HEALTHCHECK or documents the Kubernetes probes that stand in for it', () => {
      if (instructions.some((i) => i.keyword === 'HEALTHCHECK')) return;
      const note = comments.find((c) => c.startsWith('Health:'));
      expect(note, '# Health: comment').toBeDefined();
      const chartFile = `charts/solar-crm/templates/${program}/deployment.yaml`;
      expect(comments.join(' ')).toContain(chartFile);
      expect(readFileSync(join(repo, chartFile), 'utf8')).toMatch(/include "solar\.probes"/);
    });
  });
}

describe('.dockerignore', () => {
  it('keeps dependencies, local state and build artifacts out of the build context', () => {
    for (const path of ['node_modules', 'web/node_modules', 'common/node_modules', '.data', 'artifacts'])
      expect(ignored(path), path).toBe(true);
    expect(ignored('.env')).toBe(true);
    expect(ignored('operator/src/main.ts')).toBe(false);
  });
});

describe('Tiltfile', () => {
  const tiltfile = readFileSync(join(repo, 'Tiltfile'), 'utf8');
  const strings = (re: RegExp) => [...tiltfile.matchAll(re)].map((m) => m[1]!);

  it('builds every program from a Dockerfile that exists, with the repository root as context', () => {
    const loop = /for program in \[([^\]]+)\]/.exec(tiltfile)?.[1] ?? '';
    const looped = [...loop.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
    const single = strings(/docker_build\('solar-crm\/([\w-]+)'/g);
    expect([...looped, ...single].sort()).toEqual([...programs].sort());
    for (const program of programs) expect(existsSync(join(repo, program, 'Dockerfile'))).toBe(true);
    // contexts: '.' (the root), which holds what every Dockerfile COPYs
    expect(strings(/docker_build\([^,]+,\s*'([^']+)'/g)).toEqual(['.', '.']);
    for (const only of [...(/only=\[([^\]]+)\]/.exec(tiltfile)?.[1] ?? '').matchAll(/'([^']+)'/g)])
      expect(existsSync(join(repo, only[1]!)), `only: ${only[1]}`).toBe(true);
  });

  it('installs the chart with its dev values and applies a demo Tenant that exist', () => {
    const chart = /helm\(\s*'([^']+)'/.exec(tiltfile)?.[1];
    expect(chart).toBe('charts/solar-crm');
    expect(existsSync(join(repo, chart!, 'Chart.yaml'))).toBe(true);
    for (const values of strings(/values=\['([^']+)'\]/g)) expect(existsSync(join(repo, values))).toBe(true);
    const manifests = strings(/k8s_yaml\('([^']+)'\)/g);
    expect(manifests).toContain('operator/examples/tenant-pooled-starter.yaml');
    for (const m of manifests) expect(readFileSync(join(repo, m), 'utf8')).toMatch(/kind: Tenant/);
    for (const script of strings(/local\('(?:bash|npx tsx) ([^ ']+)/g))
      expect(existsSync(join(repo, script)), script).toBe(true);
  });
});
