/**
 * Real databases for tests: a fresh SQLite file or a fresh PostgreSQL database on the server
 * started by test/global-setup.ts. `for (const dialect of DIALECTS)` runs a case on both.
 */
import { afterEach, inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import { isInternalTable, type DialectName, type Schema } from '../shared/schema.ts';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export interface TestDatabase extends Database {
  /** Connection string, for CLI and child-process tests. */
  conn: string;
  /** Runs trusted setup SQL (several statements allowed). */
  setup(sql: string): Promise<void>;
}

export function pgAdminUrl(): string {
  return process.env.DATAFLOW_PG_URL ?? inject('pgUrl');
}

/** A new empty database of the dialect; closed and (for PostgreSQL) dropped by the returned cleanup. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase & { cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const path = join(mkdtempSync(join(tmpdir(), 'dataflow-test-')), 'test.db');
    const conn = `sqlite:${path}`;
    const db = await openDatabase(conn);
    const raw = (db.driver as unknown as { db: { exec(sql: string): void } }).db;
    return { ...db, conn, setup: async (sql) => raw.exec(sql), cleanup: () => db.driver.close() };
  }
  const { url: conn, drop } = await createPgDatabase();
  const db = await openDatabase(conn);
  const client = (db.driver as unknown as { client: pg.Client }).client;
  return {
    ...db,
    conn,
    setup: async (sql) => {
      await client.query(sql);
    },
    cleanup: async () => {
      await db.driver.close();
      await drop();
    },
  };
}

/** Runs one statement as the test server's admin, on its own connection. */
async function asAdmin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: pgAdminUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A new empty PostgreSQL database on the test server (`<prefix>_<random>`): its URL as the admin,
 * and `drop`, which removes it with whatever sessions are still connected.
 */
export async function createPgDatabase(prefix = 't'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await asAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl());
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => asAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export type FreshDatabase = TestDatabase & { cleanup(): Promise<void> };

/**
 * For a test file: `const fresh = freshDatabases();` then `await fresh(dialect, setupSql?)` gives
 * a new database, closed and dropped after each test; `fresh.defer(fn)` runs `fn` before those
 * cleanups (a second connection to close first).
 */
export function freshDatabases(): ((dialect: DialectName, setupSql?: string) => Promise<FreshDatabase>) & {
  defer(cleanup: () => Promise<void>): void;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const fresh = async (dialect: DialectName, setupSql?: string) => {
    const db = await createTestDatabase(dialect);
    cleanups.push(db.cleanup);
    if (setupSql) await db.setup(setupSql);
    return db;
  };
  return Object.assign(fresh, { defer: (cleanup: () => Promise<void>) => void cleanups.unshift(cleanup) });
}

/** The schema without the product's own tables (the migration lock creates its table on first use). */
export async function userSchema(db: Database): Promise<Schema> {
  const s = await db.dialect.introspect(db.driver);
  return { ...s, tables: s.tables.filter((t) => !isInternalTable(t.name)) };
}
