import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

export interface BenchmarkResult {
  name: string;
  /** headline numbers, e.g. { 'p95 ms @32': 12.3, 'target p95 ms': 25, 'met': true } */
  figures: Record<string, number | string | boolean>;
  /** anything else worth keeping (raw samples, settings) */
  details?: unknown;
}

/** Writes bench/results/<name>.json with the machine it ran on, and prints the figures. */
export function recordBenchmark(result: BenchmarkResult): void {
  const dir = resolve(import.meta.dirname, '../bench/results');
  mkdirSync(dir, { recursive: true });
  const record = {
    ...result,
    at: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      memGiB: Math.round(totalmem() / 2 ** 30),
    },
  };
  writeFileSync(join(dir, `${result.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
  console.table(result.figures);
}

/** Percentile of already-collected samples (nearest-rank). */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
