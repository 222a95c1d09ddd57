/**
 * A rehearse leaves the database exactly as it found it, the migration lock table included: the
 * guide's Migration Workflow Pattern (a MigrationNode that records a status, so the run takes the
 * migration lock) on SQLite and PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findColumn, findTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { openDatabase, type Database } from '../db/connect.ts';
import { acquireMigrationLock } from '../db/migration-lock.ts';
import { readMigration } from '../db/migration-records.ts';
import { runWorkflow } from './run.ts';

const pattern = parseWorkflow(
  readFileSync(new URL('../../assets/examples/migration-workflow-pattern.dataflow.json', import.meta.url), 'utf8'),
).workflow;
const LOCK = 'dataflow_migration_lock';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(
    dialect,
    "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada');",
  );

/** Every table of the database's current schema, from the catalog. */
async function tables(db: Database): Promise<string[]> {
  const sql =
    db.dialect.name === 'postgres'
      ? 'SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1'
      : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1";
  return (await db.driver.query<{ name: string }>(sql)).rows.map((r) => r.name);
}

async function connection(db: FreshDatabase): Promise<Database> {
  const other = await openDatabase(db.conn);
  databases.defer(() => other.driver.close());
  return other;
}

async function rehearse(db: Database) {
  const r = await runWorkflow(pattern, db, { mode: 'rehearse' });
  expect(r.status, r.error ?? '').toBe('succeeded');
  expect(r.nodes.apply_migration!.status).toBe('succeeded');
  expect(r.warnings).toEqual([]);
  return r;
}

for (const dialect of DIALECTS) {
  describe(`a rehearse leaves no table behind (${dialect})`, () => {
    it('on a fresh database the tables are the same before and after; a following apply works and keeps its tracking', async () => {
      const db = await fresh(dialect);
      const before = await tables(db);
      await rehearse(db);
      expect(await tables(db)).toEqual(before);
      expect(await readMigration(db, 'user_table_v2')).toBeNull();

      const applied = await runWorkflow(pattern, db, { mode: 'apply' });
      expect(applied.status, applied.error ?? '').toBe('succeeded');
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'users')!, 'last_login')).toBeDefined();
      expect((await readMigration(db, 'user_table_v2'))?.status).toBe('completed');
      expect(await tables(db)).toEqual(
        expect.arrayContaining([...before, 'dataflow_migration_events', LOCK, 'dataflow_migrations']),
      );
    });

    it('keeps a lock table that was there before, and drops only one it created', async () => {
      const db = await fresh(dialect);
      await (await acquireMigrationLock(db, { runId: 'earlier', workflow: 'earlier' })).release();
      const withLock = await tables(db);
      expect(withLock).toContain(LOCK);
      await rehearse(db);
      expect(await tables(db)).toEqual(withLock);

      await db.driver.query(`DROP TABLE ${db.dialect.quoteIdent(LOCK)}`);
      await rehearse(db);
      expect(await tables(db)).toEqual(withLock.filter((t) => t !== LOCK));
    });
  });
}

describe('a rehearse leaves no table behind (postgres, another session reading the lock table)', () => {
  it('leaves the table, without failing the run, when another session holds it', async () => {
    const db = await fresh('postgres');
    const blocker = await connection(db);
    const reader = await connection(db);
    // The blocker keeps the run at its ALTER TABLE until the reader has read the lock table.
    await blocker.driver.query('BEGIN');
    await blocker.driver.query('SELECT * FROM users');
    const run = runWorkflow(pattern, db, { mode: 'rehearse' });
    const deadline = Date.now() + 10_000;
    while (!(await reader.driver.query<{ t: string | null }>(`SELECT to_regclass('${LOCK}')::text AS t`)).rows[0]?.t) {
      if (Date.now() > deadline) throw new Error('the run did not create the lock table');
      await new Promise((r) => setTimeout(r, 20));
    }
    await reader.driver.query('BEGIN');
    await reader.driver.query(`SELECT * FROM ${LOCK}`);
    await blocker.driver.query('COMMIT');

    let finished = false;
    let sawDropWaiting = false;
    const watched = run.finally(() => (finished = true));
    while (!finished) {
      const { rows } = await blocker.driver.query<{ n: string }>(
        `SELECT count(*) AS n FROM pg_locks WHERE relation = to_regclass('${LOCK}') AND mode = 'AccessExclusiveLock' AND NOT granted`,
      );
      sawDropWaiting ||= Number(rows[0]!.n) > 0;
      await new Promise((r) => setTimeout(r, 10));
    }
    const r = await watched;
    expect(r.status, r.error ?? '').toBe('succeeded');
    expect(r.warnings).toEqual([]);
    expect(sawDropWaiting).toBe(true);
    expect(Number((await reader.driver.query<{ n: string }>(`SELECT count(*) AS n FROM ${LOCK}`)).rows[0]!.n)).toBe(0);
    await reader.driver.query('COMMIT');
    expect(await tables(db)).toContain(LOCK);
  });
});
