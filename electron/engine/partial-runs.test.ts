import { describe, expect, it } from 'vitest';
import { findColumn, findTable } from '../../shared/schema.ts';
import { WorkflowError } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases, type FreshDatabase } from '../../test/databases.ts';
import { runWorkflow } from './run.ts';
import { js, node, workflow } from '../../test/workflows.ts';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(
    dialect,
    "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada');",
  );

const add = (id: string, column: string) =>
  node(id, 'SchemaModificationNode', {
    table: 'users',
    operation: 'add_column',
    column_name: column,
    column_type: 'integer',
    nullable: true,
  });

async function columns(db: FreshDatabase): Promise<string[]> {
  const schema = await db.dialect.introspect(db.driver);
  return findTable(schema, 'users')!.columns.map((c) => c.name);
}

/** a -> b -> c, each adding a column to users. */
const chain = (disabled?: string) =>
  workflow(
    [add('a', 'col_a'), add('b', 'col_b'), add('c', 'col_c')].map((n) =>
      n.id === disabled ? { ...n, disabled: true } : n,
    ),
    ['a.result->b.input', 'b.result->c.input'],
  );

for (const dialect of DIALECTS) {
  describe(`disabled nodes and partial runs (${dialect})`, () => {
    it('a disabled node is skipped with reason "disabled"; the nodes after it still run', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(chain('b'), db, { mode: 'apply', preflight: true });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.b).toMatchObject({ status: 'skipped', reason: 'disabled', sql: [] });
      expect(r.nodes.a!.status).toBe('succeeded');
      expect(r.nodes.c!.status).toBe('succeeded');
      const cols = await columns(db);
      expect(cols).toContain('col_a');
      expect(cols).toContain('col_c');
      expect(cols).not.toContain('col_b');
    });

    it('plan leaves out a disabled node too, and reports no SQL for it', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(chain('a'), db, { mode: 'plan' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.a).toMatchObject({ status: 'skipped', reason: 'disabled', sql: [] });
      expect(r.nodes.b!.sql.length).toBeGreaterThan(0);
    });

    it('a param reading the output of a disabled node fails, saying that node is disabled', async () => {
      const db = await fresh(dialect);
      const wf = workflow(
        [
          { ...js('name', "({ column: 'from_code' })"), disabled: true },
          node('use', 'SchemaModificationNode', {
            table: 'users',
            operation: 'add_column',
            column_name: ':column',
            column_type: 'integer',
          }),
        ],
        ['name.result->use.input'],
      );
      const r = await runWorkflow(wf, db, { mode: 'rehearse', trustCode: true });
      expect(r.status).toBe('failed');
      expect(r.nodes.use!.error?.message).toMatch(/node "name" is disabled, so its outputs are not available/);
      expect(await columns(db)).toEqual(['id', 'name']);
    });

    it('from: runs the node and everything after it; the nodes before it are skipped as outside the run', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(chain(), db, { mode: 'apply', preflight: true, subset: { from: 'b' } });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.a).toMatchObject({ status: 'skipped', reason: 'outside_run' });
      expect(r.nodes.b!.status).toBe('succeeded');
      expect(r.nodes.c!.status).toBe('succeeded');
      const cols = await columns(db);
      expect(cols).not.toContain('col_a');
      expect(cols).toEqual(expect.arrayContaining(['col_b', 'col_c']));
    });

    it('only: runs exactly the listed nodes', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(chain(), db, { mode: 'apply', preflight: true, subset: { only: ['b'] } });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.a).toMatchObject({ status: 'skipped', reason: 'outside_run' });
      expect(r.nodes.c).toMatchObject({ status: 'skipped', reason: 'outside_run' });
      const cols = await columns(db);
      expect(cols.filter((c) => c.startsWith('col_'))).toEqual(['col_b']);
    });

    it('the preflight plans only the part that runs: a node outside it that cannot succeed does not block', async () => {
      const db = await fresh(dialect);
      // "a" adds a column that exists already: a whole run is refused by its preflight.
      const wf = workflow([add('a', 'name'), add('b', 'col_b')], ['a.result->b.input']);
      const whole = await runWorkflow(wf, db, { mode: 'apply', preflight: true });
      expect(whole.status).toBe('failed');
      expect(whole.nodes.b!.status).toBe('not_run');
      const part = await runWorkflow(wf, db, { mode: 'apply', preflight: true, subset: { from: 'b' } });
      expect(part.status, part.error ?? '').toBe('succeeded');
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'users')!, 'col_b')).toBeTruthy();
    });

    it('the preflight of a partial run still refuses a node of the part that cannot succeed, and nothing is written', async () => {
      const db = await fresh(dialect);
      const wf = workflow([add('a', 'col_a'), add('b', 'name')], ['a.result->b.input']);
      const r = await runWorkflow(wf, db, { mode: 'apply', preflight: true, subset: { only: ['a', 'b'] } });
      expect(r.status).toBe('failed');
      expect(r.nodes.b!.status).toBe('failed');
      expect(r.nodes.a!.status).toBe('not_run');
      expect(await columns(db)).toEqual(['id', 'name']);
    });

    it('a subset naming a node the workflow does not have is refused before anything runs', async () => {
      const db = await fresh(dialect);
      await expect(runWorkflow(chain(), db, { mode: 'plan', subset: { from: 'nope' } })).rejects.toThrow(WorkflowError);
      await expect(runWorkflow(chain(), db, { mode: 'plan', subset: { only: ['a', 'zz'] } })).rejects.toThrow(
        /node "zz", field "only": the run is limited to node "zz", which is not in the workflow/,
      );
    });

    it('a workflow with no node, or only disabled ones, is refused for rehearse and apply, and nothing is written', async () => {
      const db = await fresh(dialect);
      const tables = async () => (await db.dialect.introspect(db.driver)).tables.map((t) => t.name);
      const before = await tables();
      for (const mode of ['rehearse', 'apply'] as const) {
        await expect(runWorkflow(workflow([]), db, { mode })).rejects.toThrow(
          'the workflow has no node, so there is nothing to rehearse or apply; add a node first',
        );
        const off = workflow([{ ...add('a', 'col_a'), disabled: true }]);
        await expect(runWorkflow(off, db, { mode, preflight: true })).rejects.toThrow(
          'every node of the workflow is disabled, so there is nothing to rehearse or apply; enable a node first',
        );
      }
      expect(await tables()).toEqual(before);
      expect((await runWorkflow(workflow([]), db, { mode: 'plan' })).status).toBe('succeeded');
    });
  });
}
