import { defineConfig } from 'vitest/config';

// Browser journeys: the real server in-process on an in-memory database (or DATABASE_URL), driven through
// Debian's Chromium with playwright-core. One file at a time: each starts its own server and browser.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    globalSetup: ['tests/e2e/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
