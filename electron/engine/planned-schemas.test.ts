import { describe, expect, it } from 'vitest';
import { outlineAt } from '../../shared/planned-schema.ts';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { node, workflow } from '../../test/workflows.ts';
import { runWorkflow } from './run.ts';

const databases = freshDatabases();

const columnsOf = (tables: { name: string; columns: { name: string }[] }[] | null, table: string) =>
  tables?.find((t) => t.name === table)?.columns.map((c) => c.name);

const flow = workflow(
  [
    node('add_tier', 'SchemaModificationNode', {
      table: 'users',
      operation: 'add_column',
      column_name: 'tier',
      column_type: 'text',
      default_value: 'bronze',
    }),
    node('rename', 'SchemaModificationNode', { table: 'users', operation: 'rename_table', new_name: 'members' }),
    node('missing', 'SchemaModificationNode', {
      table: 'userz',
      operation: 'drop_column',
      column_name: 'name',
    }),
    node('check', 'ValidationNode', { table: 'members', column: 'tier', check_column_exists: true }),
  ],
  [],
);

for (const dialect of DIALECTS) {
  describe(`the simulated schema of a plan, node by node (${dialect})`, () => {
    it('is the live schema as the nodes before each one change it, with defaults as the dialect renders them', async () => {
      const db = await databases(dialect, 'CREATE TABLE users (id integer PRIMARY KEY, name text);');
      const r = await runWorkflow(flow, db, { mode: 'plan', plannedSchemas: true });
      const planned = r.plannedSchemas!;
      expect(columnsOf(outlineAt(planned, 'add_tier', 'before'), 'users')).toEqual(['id', 'name']);
      const afterAdd = outlineAt(planned, 'add_tier', 'after');
      expect(afterAdd?.find((t) => t.name === 'users')?.columns.find((c) => c.name === 'tier')).toEqual({
        name: 'tier',
        type: 'text',
        default: "'bronze'",
      });
      expect(outlineAt(planned, 'rename', 'before')).toEqual(afterAdd);
      const renamed = outlineAt(planned, 'missing', 'before')!;
      expect(renamed.map((t) => t.name)).toEqual(['members']);
      // A node that fails leaves the schema as it found it; the nodes after it see that.
      expect(r.nodes.missing!.status).toBe('failed');
      expect(outlineAt(planned, 'missing', 'after')).toBe(renamed);
      expect(columnsOf(outlineAt(planned, 'check', 'before'), 'members')).toEqual(['id', 'name', 'tier']);
      expect(planned.outlines.length).toBe(3);
      expect(planned.columnTypes.includes('integer[]')).toBe(dialect === 'postgres');
    });

    it('is left out unless asked for', async () => {
      const db = await databases(dialect, 'CREATE TABLE users (id integer PRIMARY KEY, name text);');
      expect((await runWorkflow(flow, db, { mode: 'plan' })).plannedSchemas).toBeUndefined();
    });
  });
}

describe('a draft plan (the editor’s)', () => {
  it('fails a node whose params are not valid with their problem, and plans the rest', async () => {
    const db = await databases('sqlite', 'CREATE TABLE users (id integer PRIMARY KEY, name text);');
    const draft = workflow(
      [
        node('add_tier', 'SchemaModificationNode', {
          table: 'users',
          operation: 'add_column',
          column_name: 'tier',
          column_type: 'text',
        }),
        node('half_done', 'SchemaModificationNode', { table: 'users', operation: 'add_column' }),
        node('check', 'ValidationNode', { table: 'users', column: 'tier', check_column_exists: true }),
      ],
      [],
    );
    await expect(runWorkflow(draft, db, { mode: 'plan' })).rejects.toThrow(/column_name/);
    const r = await runWorkflow(draft, db, { mode: 'plan', plannedSchemas: true, draft: true });
    expect(r.nodes.half_done).toMatchObject({ status: 'failed', error: { field: 'column_name' } });
    expect(r.nodes.check!.status).toBe('succeeded');
    expect(columnsOf(outlineAt(r.plannedSchemas, 'check', 'before'), 'users')).toEqual(['id', 'name', 'tier']);
    await expect(runWorkflow(draft, db, { mode: 'rehearse', draft: true })).rejects.toThrow(/column_name/);
  });
});
