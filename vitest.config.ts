import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most tests wait on PostgreSQL, SQLite files and child processes rather than the CPU: three
    // workers on a 2-core machine take the suite from about 11 to about 7 minutes.
    maxWorkers: 3,
    minWorkers: 1,
  },
});
