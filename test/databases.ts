/**
 * Real databases for tests: a fresh SQLite file or a fresh PostgreSQL database on the server
 * started by test/global-setup.ts. `for (const dialect of DIALECTS)` runs a case on both.
 */
import { inject } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDatabase, type Database } from '../electron/db/connect.ts';
import type { DialectName } from '../shared/schema.ts';

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
  const admin = pgAdminUrl();
  const name = `t_${randomBytes(6).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: admin });
  await adminClient.connect();
  await adminClient.query(`CREATE DATABASE ${name}`);
  await adminClient.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const conn = url.toString();
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
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
