import { defineConfig } from 'vitest/config';
import { LongestFirst } from './test/sequencer.ts';

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most tests wait on PostgreSQL, SQLite files and child processes rather than the CPU: three
    // workers on a 2-core machine take the suite from about 11 to about 7 minutes. Three from the
    // start to the end: vitest 3.2 fails the run ("Terminating worker thread") when it stops an
    // idle worker of a pool that reuses them.
    maxWorkers: 3,
    minWorkers: 3,
    sequence: { sequencer: LongestFirst },
    // The counts `npm test` closes with (scripts/test-summary.mjs) come from this report.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-reports/vitest.json' },
    // The engine's worker processes run file after file and keep the modules they loaded (those
    // hold constants, not state), instead of a new process loading the engine, pg, zod and
    // libpg-query again for each of about 150 files: collect time 268 s -> 66 s. The editor's
    // files, whose stores and DOM are per file, run in threads of their own, one a file.
    poolOptions: { forks: { isolate: false } },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'renderer',
          include: ['renderer/**/*.test.{ts,tsx}'],
          pool: 'threads',
        },
      },
    ],
  },
});
