/**
 * Starts one real PostgreSQL server for the whole test run (test/pg-server.ts: embedded, or the
 * server DATAFLOW_PG_URL points at). Test files get the admin URL through `inject('pgUrl')` and
 * create their own databases on it (see test/databases.ts).
 */
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';
import { startPostgres } from './pg-server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // pg_stat_statements loaded, so the MonitoringNode's default queries can be tested in a
  // database that installs the extension (electron/engine/executors/monitoring-defaults.test.ts).
  const server = await startPostgres([
    '-c',
    'max_connections=200',
    '-c',
    'fsync=off',
    '-c',
    'shared_preload_libraries=pg_stat_statements',
  ]);
  project.provide('pgUrl', server.url);
  process.env.DATAFLOW_PG_URL = server.url;
  return () => server.stop();
}
