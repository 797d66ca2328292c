/**
 * `npm run bench [filter]`: runs every benchmark (`<workspace>/bench/*.bench.ts`) in its own process, one after
 * another so they do not compete for the two cores, and collects their results in bench/results/.
 * Each benchmark writes its figures with `recordBenchmark()` (scripts/bench-kit.ts).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const filter = process.argv[2];
const files = ['common', 'operator', 'platform-api', 'tenant-runtime', 'web']
  .map((ws) => join(root, ws, 'bench'))
  .filter((dir) => existsSync(dir))
  .flatMap((dir) =>
    readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(dir, f)),
  )
  .filter((f) => !filter || f.includes(filter));

if (!files.length) {
  console.error(filter ? `no benchmark matches "${filter}"` : 'no benchmarks found');
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n▶ ${file.slice(root.length + 1)}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file], {
    stdio: 'inherit',
    cwd: root,
  });
  if (run.status !== 0) failed++;
}

// one summary of every result on disk, newest run of each benchmark
const resultsDir = join(root, 'bench/results');
const summary = readdirSync(resultsDir)
  .filter((f) => f.endsWith('.json'))
  .map(
    (f) =>
      JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as {
        name: string;
        at: string;
        figures: Record<string, unknown>;
      },
  );
writeFileSync(
  join(resultsDir, 'SUMMARY.md'),
  `# Benchmark results\n\nEach JSON file beside this one records the machine and raw details.\n\n` +
    summary
      .map(
        (r) =>
          `## ${r.name} (${r.at})\n\n| figure | value |\n|---|---|\n${Object.entries(r.figures)
            .map(([k, v]) => `| ${k} | ${String(v)} |`)
            .join('\n')}\n`,
      )
      .join('\n'),
);
console.log(`\nresults in bench/results/ (${files.length - failed}/${files.length} benchmarks ran)`);
process.exit(failed ? 1 : 0);
