/**
 * DF118: a column a change adds, renames to or creates may not take a system column name of the
 * database. PostgreSQL refuses ctid, xmin... mid-run (after earlier nodes committed), so the plan
 * refuses them first; SQLite accepts rowid, oid and _rowid_ but the name then stops reading the
 * rowid, so the plan refuses them where a rowid would be hidden. A refused run leaves the database
 * as it was.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabases, userSchema } from '../../../test/databases.ts';
import { node, workflow } from '../../../test/workflows.ts';
import { schemaModificationParams } from '../../../shared/nodes/schema-modification.ts';
import { findTable } from '../../../shared/schema.ts';
import type { Database } from '../connect.ts';
import { runWorkflow } from '../../engine/run.ts';

const fresh = freshDatabases();

async function problems(db: Database, raw: Record<string, unknown>) {
  const plan = await db.dialect.planSchemaChange(
    schemaModificationParams.parse(raw),
    await db.dialect.introspect(db.driver),
    db.driver,
  );
  return plan.problems.map((p) => ({ code: p.code, field: p.field, message: p.message }));
}

const add = (column_name: string, table = 'users') => ({
  table,
  operation: 'add_column',
  column_name,
  column_type: 'text',
});
const rename = (new_name: string, column_name = 'name') => ({
  table: 'users',
  operation: 'rename_column',
  column_name,
  new_name,
});
const create = (columns: { name: string; type: string; primary_key?: boolean }[]) => ({
  table: 'notes',
  operation: 'create_table',
  columns,
});

const SETUP = 'CREATE TABLE users (id integer PRIMARY KEY, name text)';

describe('DF118 on PostgreSQL: ctid, xmin, xmax, cmin, cmax, tableoid', () => {
  it('refuses each as add_column, rename_column and create_table column, naming the field', async () => {
    const db = await fresh('postgres', SETUP);
    for (const name of ['ctid', 'xmin', 'xmax', 'cmin', 'cmax', 'tableoid']) {
      expect(await problems(db, add(name))).toEqual([
        {
          code: 'DF118',
          field: 'column_name',
          message: `column name "${name}" is a system column name (tableoid, xmin, cmin, xmax, cmax, ctid): every PostgreSQL table has a system column of that name; choose another name`,
        },
      ]);
      expect((await problems(db, rename(name))).map((p) => [p.code, p.field])).toEqual([['DF118', 'new_name']]);
      const columns = [
        { name: 'id', type: 'integer' },
        { name, type: 'text' },
      ];
      expect((await problems(db, create(columns))).map((p) => [p.code, p.field])).toEqual([
        ['DF118', 'columns.1.name'],
      ]);
    }
  });

  it('accepts what PostgreSQL 12+ accepts: another case of the name (quoted), and oid', async () => {
    const db = await fresh('postgres', SETUP);
    for (const name of ['CTID', 'Xmin', 'oid']) expect(await problems(db, add(name))).toEqual([]);
    const r = await runWorkflow(workflow([node('a', 'SchemaModificationNode', add('CTID'))]), db, { mode: 'apply' });
    expect(r.status).toBe('succeeded');
    const b = await runWorkflow(workflow([node('a', 'SchemaModificationNode', add('oid'))]), db, { mode: 'apply' });
    expect(b.status).toBe('succeeded');
    const users = findTable(await userSchema(db), 'users')!;
    expect(users.columns.map((c) => c.name)).toEqual(['id', 'name', 'CTID', 'oid']);
  });
});

describe('DF118 on SQLite: rowid, oid, _rowid_ where a rowid would be hidden', () => {
  it('refuses them (in any case) on a rowid table', async () => {
    const db = await fresh('sqlite', SETUP);
    for (const name of ['rowid', 'OID', '_rowid_']) {
      expect(await problems(db, add(name))).toEqual([
        {
          code: 'DF118',
          field: 'column_name',
          message: `column name "${name}" is a system column name (rowid, oid, _rowid_): SQLite names a table's rowid so, and a column of that name hides the rowid from every query that reads it; choose another name`,
        },
      ]);
      expect((await problems(db, rename(name))).map((p) => [p.code, p.field])).toEqual([['DF118', 'new_name']]);
      const columns = [
        { name: 'code', type: 'text', primary_key: true },
        { name, type: 'integer' },
      ];
      expect((await problems(db, create(columns))).map((p) => [p.code, p.field])).toEqual([
        ['DF118', 'columns.1.name'],
      ]);
    }
  });

  it('accepts them where no rowid is hidden: the INTEGER PRIMARY KEY itself, a WITHOUT ROWID table', async () => {
    const db = await fresh('sqlite', `${SETUP}; CREATE TABLE codes (code text PRIMARY KEY, label text) WITHOUT ROWID`);
    expect(await problems(db, create([{ name: 'rowid', type: 'integer', primary_key: true }]))).toEqual([]);
    expect(await problems(db, rename('rowid', 'id'))).toEqual([]);
    expect(await problems(db, add('rowid', 'codes'))).toEqual([]);
  });
});

for (const dialect of DIALECTS) {
  describe(`a system column name in a later node on ${dialect}`, () => {
    it('stops the run before the first node: the database is unchanged', async () => {
      const db = await fresh(dialect, SETUP);
      const system = dialect === 'postgres' ? 'tableoid' : 'rowid';
      const wf = workflow([
        node('note', 'SchemaModificationNode', add('note')),
        node('sys', 'SchemaModificationNode', rename(system)),
      ]);
      wf.connections.push({ source: 'note', sourceOutput: 'result', target: 'sys', targetInput: 'after' });
      const before = await userSchema(db);
      const r = await runWorkflow(wf, db, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(r.nodes.sys!.error).toMatchObject({ field: 'new_name', message: expect.stringContaining('[DF118]') });
      expect(r.nodes.note!.status).toBe('not_run');
      expect(await userSchema(db)).toEqual(before);
    });
  });
}
