import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/diff-types.ts';
import { findColumn, findTable } from '../../shared/schema.ts';
import { DIALECTS, freshDatabases, userSchema, type FreshDatabase } from '../../test/databases.ts';
import { openDatabase } from '../db/connect.ts';
import { acquireMigrationLock } from '../db/migration-lock.ts';
import { readMigration } from '../db/migration-records.ts';
import { runWorkflow } from './run.ts';
import { node, workflow } from '../../test/workflows.ts';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(
    dialect,
    "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');",
  );
type Db = FreshDatabase;

async function userTables(db: Db): Promise<string[]> {
  const sql =
    db.dialect.name === 'postgres'
      ? 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1'
      : "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY 1";
  return (await db.driver.query<{ name: string }>(sql)).rows.map((r) => r.name);
}

const addLastLogin = node('add', 'SchemaModificationNode', {
  table: 'users',
  operation: 'add_column',
  column_name: 'last_login',
  column_type: 'timestamp',
  nullable: true,
});
const indexLastLogin = node('idx', 'SchemaModificationNode', {
  table: 'users',
  operation: 'create_index',
  index_name: 'idx_users_last_login',
  columns: ['last_login'],
});
const track = node('track', 'MigrationNode', { migration_name: 'm1', status: 'pending' });
const complete = node('complete', 'MigrationNode', { migration_name: 'm1', status: 'completed' });
const tracked = workflow(
  [track, addLastLogin, indexLastLogin, complete],
  ['track.result->add.input', 'add.result->idx.input', 'idx.result->complete.input'],
);

const kinds = (changes: Change[] | undefined) =>
  (changes ?? []).map((c) => `${c.kind}:${'column' in c ? c.column : 'index' in c ? c.index : ''}`);

for (const dialect of DIALECTS) {
  describe(`run modes (${dialect})`, () => {
    it('plan writes nothing, and later nodes plan against the simulated schema', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const tablesBefore = await userTables(db);
      const r = await runWorkflow(tracked, db, { mode: 'plan' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.diff).toBeNull();
      expect(r.nodes.add!.outputs.result).toMatchObject({
        operation: 'add_column',
        table: 'users',
        column: 'last_login',
        status: 'planned',
      });
      expect(r.nodes.idx!.sql.length).toBeGreaterThan(0);
      for (const id of ['add', 'idx'])
        for (const s of r.nodes[id]!.sql) expect(s).toMatchObject({ rowsAffected: null, notRun: true });
      expect(await userSchema(db)).toEqual(before);
      expect(await userTables(db)).toEqual(tablesBefore);
    });

    it('plan marks the steps that lose data as destructive (apply asks to confirm them)', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(
        workflow([
          node('drop', 'SchemaModificationNode', { table: 'users', operation: 'drop_column', column_name: 'name' }),
          addLastLogin,
        ]),
        db,
        { mode: 'plan' },
      );
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.drop!.sql.some((s) => s.destructive)).toBe(true);
      expect(r.nodes.add!.sql.some((s) => s.destructive)).toBe(false);
    });

    it('rehearse reports the diff as if applied and leaves the database unchanged', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const r = await runWorkflow(tracked, db, { mode: 'rehearse' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(kinds(r.diff?.changes)).toEqual(['column_added:last_login', 'index_added:idx_users_last_login']);
      expect(r.nodes.add!.outputs.result).toMatchObject({ status: 'applied' });
      expect(db.driver.inTransaction()).toBe(false);
      expect(await userSchema(db)).toEqual(before);
      expect(await readMigration(db, 'm1')).toBeNull();
    });

    it('apply commits each node, reports the diff and tracks the migration', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(tracked, db, { mode: 'apply' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(kinds(r.diff?.changes)).toEqual(['column_added:last_login', 'index_added:idx_users_last_login']);
      const users = findTable(await db.dialect.introspect(db.driver), 'users')!;
      expect(findColumn(users, 'last_login')).toBeDefined();
      expect((await readMigration(db, 'm1'))?.status).toBe('completed');
      expect(r.nodes.add!.sql.every((s) => s.rowsAffected !== null && !s.notRun)).toBe(true);
    });

    it("a failed apply marks the run's pending migration failed; the failing node changed nothing", async () => {
      const db = await fresh(dialect);
      const dup = node('dup', 'SchemaModificationNode', {
        table: 'users',
        operation: 'add_column',
        column_name: 'name',
        column_type: 'integer',
      });
      const wf = workflow(
        [track, addLastLogin, dup, complete],
        ['track.result->add.input', 'add.result->dup.input', 'dup.result->complete.input'],
      );
      const r = await runWorkflow(wf, db, { mode: 'apply' });
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(
        /^node "dup", field "column_name" \(Column\): \[DF120\] column "name" of "users" exists already as text .*, but this node adds it as integer NULL/,
      );
      expect(r.nodes.complete!.status).toBe('not_run');
      expect(kinds(r.diff?.changes)).toEqual(['column_added:last_login']);
      const m = await readMigration(db, 'm1');
      expect(m?.status).toBe('failed');
    });

    it('the contacts example (NOT NULL UNIQUE without default on a table with rows) fails clearly and leaves the table unchanged', async () => {
      const db = await fresh(dialect);
      await db.setup(
        "CREATE TABLE contacts (id integer PRIMARY KEY, name text, company text); INSERT INTO contacts (id, name, company) VALUES (1, 'a', 'x'), (2, 'b', 'y');",
      );
      const before = await userSchema(db);
      const wf = workflow([
        node('add_email', 'SchemaModificationNode', {
          table: 'contacts',
          operation: 'add_column',
          column_name: 'email',
          column_type: 'varchar(255)',
          nullable: false,
          unique: true,
        }),
      ]);
      const r = await runWorkflow(wf, db, { mode: 'apply' });
      expect(r.status).toBe('failed');
      expect(r.nodes.add_email!.error!.message).toMatch(/row/i);
      expect(r.diff).toEqual({ changes: [], tables: [] });
      expect(await userSchema(db)).toEqual(before);
    });

    it('with preflight, a node that cannot succeed stops the run before the nodes before it write', async () => {
      const db = await fresh(dialect);
      await db.setup(
        "CREATE TABLE contacts (id integer PRIMARY KEY, name text); INSERT INTO contacts (id, name) VALUES (1, 'a');",
      );
      const before = await userSchema(db);
      const wf = workflow([
        addLastLogin,
        node('add_email', 'SchemaModificationNode', {
          table: 'contacts',
          operation: 'add_column',
          column_name: 'email',
          column_type: 'varchar(255)',
          nullable: false,
          unique: true,
        }),
      ]);
      const events: string[] = [];
      const r = await runWorkflow(wf, db, { mode: 'apply', preflight: true, onEvent: (e) => events.push(e.type) });
      expect(r.status).toBe('failed');
      expect(r.nodes.add!.status).toBe('not_run');
      expect(r.nodes.add_email!.status).toBe('failed');
      expect(r.error).toMatch(/add_email.*nothing was run/);
      expect(events[0]).toBe('run_started');
      expect(events.at(-1)).toBe('run_finished');
      expect(await userSchema(db)).toEqual(before);
      const without = await runWorkflow(wf, db, { mode: 'apply' });
      expect(without.nodes.add!.status).toBe('succeeded');
      expect(without.nodes.add_email!.status).toBe('failed');
    });

    it('waits for the migration lock a bounded time, then fails naming the holder', async () => {
      const db = await fresh(dialect);
      const other = await openDatabase(db.conn);
      databases.defer(() => other.driver.close());
      const held = await acquireMigrationLock(other, { runId: 'holder-run', workflow: 'other' });
      try {
        const r = await runWorkflow(tracked, db, { mode: 'apply', lockWaitMs: 300 });
        expect(r.status).toBe('failed');
        expect(r.error).toMatch(/holder-run/);
        expect(Object.values(r.nodes).map((n) => n.status)).toEqual(['not_run', 'not_run', 'not_run', 'not_run']);
        expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'users')!, 'last_login')).toBeUndefined();
      } finally {
        await held.release();
      }
      const again = await runWorkflow(tracked, db, { mode: 'rehearse', lockWaitMs: 300 });
      expect(again.status, again.error ?? '').toBe('succeeded');
    });
  });
}
