import { defineConfig } from 'vitest/config';

// One test command for the whole repo: each program is a project; tests sit beside the code.
export default defineConfig({
  test: {
    projects: [
      ...['common', 'operator', 'platform-api', 'tenant-runtime', 'scripts'].map((name) => ({
        test: {
          name,
          root: `./${name}`,
          include: name === 'scripts' ? ['**/*.test.ts'] : ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      })),
      './web/vitest.config.ts',
      './web/vitest.e2e.config.ts',
    ],
  },
});
