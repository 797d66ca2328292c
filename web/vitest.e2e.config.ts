import { defineConfig } from 'vitest/config';

// Browser tests: headless Debian Chromium (playwright-core) against the real local stack started once
// by global-setup.ts on its own ports and database.
export default defineConfig({
  test: {
    name: 'e2e',
    root: import.meta.dirname,
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['./e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
