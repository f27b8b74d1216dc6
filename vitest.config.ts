import { defineConfig } from 'vitest/config';

// API and unit tests. They run on embedded PGlite by default and on a PostgreSQL server when DATABASE_URL is
// set. Test files in one worker share one migrated database (isolate: false), so tests create their own
// companies through factories and never assume an empty database.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'web/src/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
