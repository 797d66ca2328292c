import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// tsconfig.json extends the generated .svelte-kit/tsconfig.json, which the TS transform reads; a fresh checkout
// has none yet, so generate it (svelte-kit sync is fast and writes only .svelte-kit/).
const root = import.meta.dirname;
if (!existsSync(join(root, '.svelte-kit/tsconfig.json'))) {
  execFileSync(process.execPath, [join(root, '../node_modules/@sveltejs/kit/svelte-kit.js'), 'sync'], {
    cwd: root,
    stdio: 'ignore',
  });
}

// Unit tests for the web app's pure pieces (tenant from host, cookies, GraphQL errors, dates); node environment.
export default defineConfig({
  test: {
    name: 'web',
    root,
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
  // SvelteKit's $lib, for modules under test that import through it
  resolve: { alias: { $lib: join(root, 'src/lib') } },
});
