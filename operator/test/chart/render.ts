import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** Paths and helm plumbing for the chart tests. */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const chartDir = `${repoRoot}charts/solar-crm`;
export const helmBin = `${repoRoot}.tools/bin/helm`;

/** Fetches helm into .tools/bin once (scripts/tools/fetch-helm.sh is idempotent). */
export function ensureHelm(): void {
  if (existsSync(helmBin)) return;
  execFileSync('bash', [`${repoRoot}scripts/tools/fetch-helm.sh`], { stdio: 'inherit' });
}

export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export function helm(args: string[]): { ok: boolean; output: string } {
  const res = spawnSync(helmBin, args, { cwd: chartDir, encoding: 'utf8' });
  return { ok: res.status === 0, output: `${res.stdout}${res.stderr}` };
}

/** `helm template` with the given values files / --set flags, parsed into objects (empty documents dropped). */
export function render(extraArgs: string[] = []): Manifest[] {
  const { ok, output } = helm(['template', 'solar', '.', '--namespace', 'solar', ...extraArgs]);
  if (!ok) throw new Error(`helm template failed:\n${output}`);
  return parseAllDocuments(output)
    .map((d) => {
      if (d.errors.length > 0) throw new Error(`rendered YAML does not parse: ${d.errors[0]?.message}`);
      return d.toJS() as Manifest | null;
    })
    .filter((m): m is Manifest => m !== null);
}
