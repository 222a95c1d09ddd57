/**
 * Fresh real databases for benchmarks: SQLite files in a temporary folder, PostgreSQL databases
 * on the server of test/pg-server.ts (DATAFLOW_PG_URL, else an embedded PostgreSQL 17).
 * Each comes with `exec` for trusted setup SQL (several statements allowed) and `drop`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../electron/db/connect.ts';
import type { SqliteDriver } from '../../electron/db/sqlite/driver.ts';
import type { DialectName } from '../../shared/schema.ts';
import { startPostgres, type PgServer } from '../../test/pg-server.ts';

export interface BenchDatabase extends Database {
  /** Where it is: `sqlite:<file>` or the PostgreSQL URL. */
  conn: string;
  /** Runs trusted setup SQL; several statements allowed. */
  exec(sql: string): Promise<void>;
  /** Closes the connection and deletes the database. */
  drop(): Promise<void>;
}

export interface BenchDatabases {
  create(dialect: DialectName): Promise<BenchDatabase>;
  /** Drops what is left and stops the embedded server, if one was started. */
  close(): Promise<void>;
}

async function sqliteDatabase(): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'dataflow-bench-'));
  const db = await openDatabase(`sqlite:${join(dir, 'bench.db')}`);
  const raw = (db.driver as SqliteDriver).db;
  // The product keeps a file's journal mode; the bench database uses WAL, like most applications'
  // SQLite files (and the figures in docs/benchmarks.md were measured so).
  raw.pragma('journal_mode = WAL');
  return {
    ...db,
    conn: `sqlite:${join(dir, 'bench.db')}`,
    exec: async (sql) => void raw.exec(sql),
    drop: async () => {
      await db.driver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresDatabase(server: PgServer): Promise<BenchDatabase> {
  const url = await server.createDatabase();
  const db = await openDatabase(url);
  const client = (db.driver as unknown as { client: pg.Client }).client;
  return {
    ...db,
    conn: url,
    exec: async (sql) => void (await client.query(sql)),
    drop: async () => {
      await db.driver.close();
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}

/** Opens databases on demand; the PostgreSQL server starts on the first PostgreSQL database. */
export function benchDatabases(): BenchDatabases {
  let server: Promise<PgServer> | null = null;
  const open = new Set<BenchDatabase>();
  return {
    async create(dialect) {
      const db =
        dialect === 'sqlite' ? await sqliteDatabase() : await postgresDatabase(await (server ??= startPostgres()));
      open.add(db);
      const drop = db.drop;
      db.drop = async () => {
        open.delete(db);
        await drop();
      };
      return db;
    },
    async close() {
      for (const db of [...open]) await db.drop().catch(() => {});
      if (server) await (await server).stop();
    },
  };
}
