import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findColumn, findTable } from '../../shared/schema.ts';
import { parseWorkflow } from '../../shared/workflow.ts';
import { DIALECTS, freshDatabases, userSchema } from '../../test/databases.ts';
import { createDemoDatabase } from '../db/demo.ts';
import { runWorkflow } from './run.ts';
import { js, node, workflow } from '../../test/workflows.ts';

const databases = freshDatabases();
const fresh = (dialect: (typeof DIALECTS)[number]) =>
  databases(
    dialect,
    "CREATE TABLE users (id integer PRIMARY KEY, name text); INSERT INTO users (id, name) VALUES (1, 'ada'), (2, 'bob');",
  );

const scope = (id: string, params: Record<string, unknown> = {}) => node(id, 'TransactionScopeNode', params);
const addColumn = (id: string, column: string) =>
  node(id, 'SchemaModificationNode', {
    table: 'users',
    operation: 'add_column',
    column_name: column,
    column_type: 'integer',
  });
const failing = node('fail', 'SchemaModificationNode', {
  table: 'users',
  operation: 'rename_column',
  column_name: 'no_such_column',
  new_name: 'renamed',
});

function example(name: string) {
  return parseWorkflow(readFileSync(fileURLToPath(new URL(`../../assets/examples/${name}`, import.meta.url)), 'utf8'))
    .workflow;
}

for (const dialect of DIALECTS) {
  describe(`TransactionScopeNode (${dialect})`, () => {
    it('a scope whose last node fails leaves the schema diff empty', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const wf = workflow([scope('tx'), addColumn('a', 'col_a'), addColumn('b', 'col_b'), failing]);
      const finished: [string, string][] = [];
      const r = await runWorkflow(wf, db, {
        mode: 'apply',
        onEvent: (e) => {
          if (e.type === 'node_finished') finished.push([e.nodeId, e.result.status]);
        },
      });
      expect(r.status).toBe('failed');
      expect(r.nodes.fail!.status).toBe('failed');
      expect(r.diff).toEqual({ changes: [], tables: [] });
      expect(await userSchema(db)).toEqual(before);
      for (const id of ['tx', 'a', 'b']) expect(r.nodes[id]!.status, id).toBe('rolled_back');
      expect(r.nodes.a!.warnings.join()).toMatch(/rolled back with transaction scope "tx" because node "fail" failed/);
      // Each member first finished succeeded, then again rolled_back once the scope rolled back.
      expect(finished.filter(([id]) => id === 'a').map(([, s]) => s)).toEqual(['succeeded', 'rolled_back']);
      expect(db.driver.inTransaction()).toBe(false);
    });

    it('commits all members together when they succeed', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(workflow([scope('tx'), addColumn('a', 'col_a'), addColumn('b', 'col_b')]), db, {
        mode: 'apply',
      });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.nodes.tx!.outputs.result).toMatchObject({ members: ['a', 'b'], rollback_on_error: true });
      expect(r.diff!.changes.map((c) => c.kind)).toEqual(['column_added', 'column_added']);
    });

    it('with rollback_on_error false keeps the members that succeeded', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(
        workflow([scope('tx', { rollback_on_error: false }), addColumn('a', 'col_a'), failing]),
        db,
        { mode: 'apply' },
      );
      expect(r.status).toBe('failed');
      expect(r.nodes.a!.status).toBe('succeeded');
      expect(r.diff!.changes.map((c) => c.kind)).toEqual(['column_added']);
    });

    it('covers only its descendants when connected; other nodes commit on their own', async () => {
      const db = await fresh(dialect);
      const wf = workflow(
        [scope('tx'), addColumn('a', 'col_a'), addColumn('outside', 'col_out'), failing],
        ['tx.result->a.input', 'a.result->fail.input'],
      );
      const r = await runWorkflow(wf, db, { mode: 'apply' });
      expect(r.order).toEqual(['tx', 'a', 'fail', 'outside']);
      expect(r.nodes.outside!.status).toBe('not_run');
      expect(r.diff).toEqual({ changes: [], tables: [] });
    });

    it('fails the member running when the scope exceeds its timeout, and rolls back', async () => {
      const db = await fresh(dialect);
      const wf = workflow([
        scope('tx', { timeout: 0.5 }),
        addColumn('a', 'col_a'),
        js('slow', 'while (true) {}', 20_000),
      ]);
      const t0 = Date.now();
      const r = await runWorkflow(wf, db, { mode: 'apply', trustCode: true });
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(r.nodes.slow!.status).toBe('failed');
      expect(r.nodes.slow!.error!.message).toMatch(/transaction scope "tx" ran longer than its timeout of 0.5 s/);
      expect(r.diff).toEqual({ changes: [], tables: [] });
    });

    it('inside rehearse runs as a savepoint and cannot change the isolation level', async () => {
      const db = await fresh(dialect);
      const before = await userSchema(db);
      const wf = workflow([
        addColumn('first', 'col_first'),
        scope('tx', { isolation_level: 'serializable' }),
        addColumn('a', 'col_a'),
        failing,
      ]);
      const r = await runWorkflow(wf, db, { mode: 'rehearse' });
      expect(r.status).toBe('failed');
      expect(r.nodes.tx!.warnings.join()).toMatch(/isolation_level "serializable" is not applied in rehearse/);
      expect(r.diff!.changes.map((c) => ('column' in c ? c.column : ''))).toEqual(['col_first']);
      expect(await userSchema(db)).toEqual(before);
    });

    it('Test Migrations (guide): unconnected nodes after the scope run in file order inside it', async () => {
      const db = await databases(dialect);
      await createDemoDatabase(db, { rows: 200 });
      const wf = example('test-migrations.dataflow.json');
      const r = await runWorkflow(wf, db, { mode: 'apply' });
      expect(r.status, r.error ?? '').toBe('succeeded');
      expect(r.order).toEqual(['test_migration', 'test_change', 'verify']);
      expect(r.nodes.test_migration!.outputs.result).toMatchObject({ members: ['test_change', 'verify'] });
      expect(findColumn(findTable(await db.dialect.introspect(db.driver), 'test_users')!, 'test_field')).toBeDefined();

      const broken = {
        ...wf,
        nodes: wf.nodes.map((n) => (n.id === 'verify' ? { ...n, params: { ...n.params, column: 'other_field' } } : n)),
      };
      const second = {
        ...broken,
        nodes: broken.nodes.map((n) =>
          n.id === 'test_change' ? { ...n, params: { ...n.params, column_name: 'test_field2' } } : n,
        ),
      };
      const r2 = await runWorkflow(second, db, { mode: 'apply' });
      expect(r2.status).toBe('failed');
      expect(r2.nodes.verify!.status).toBe('failed');
      expect(r2.diff).toEqual({ changes: [], tables: [] });
    });
  });
}

describe('TransactionScopeNode on PostgreSQL only', () => {
  it('applies the isolation level to the scope transaction', async () => {
    const db = await fresh('postgres');
    const check = node('check', 'ValidationNode', {
      check_sql: "SELECT current_setting('transaction_isolation') = 'serializable'",
    });
    const r = await runWorkflow(workflow([scope('tx', { isolation_level: 'serializable' }), check]), db, {
      mode: 'apply',
    });
    expect(r.status, r.error ?? '').toBe('succeeded');
    const without = await runWorkflow(workflow([scope('tx'), check]), db, { mode: 'apply' });
    expect(without.nodes.check!.status).toBe('failed');
  });

  it('a statement that cannot run in a transaction fails the scope before it runs, and is a plan-time error', async () => {
    const db = await fresh('postgres');
    const concurrent = node('idx', 'SchemaModificationNode', {
      table: 'users',
      operation: 'create_index',
      index_name: 'users_name_idx',
      columns: ['name'],
      concurrently: true,
    });
    const wf = workflow([scope('tx'), addColumn('a', 'col_a'), concurrent]);
    const r = await runWorkflow(wf, db, { mode: 'apply' });
    expect(r.nodes.tx!.status).toBe('failed');
    expect(r.nodes.tx!.error!.message).toMatch(/member "idx" would run .*cannot run inside a transaction/);
    expect(r.nodes.a!.status).toBe('not_run');
    expect(r.diff).toEqual({ changes: [], tables: [] });

    const plan = await runWorkflow(wf, db, { mode: 'plan' });
    expect(plan.nodes.idx!.status).toBe('failed');
    expect(plan.nodes.idx!.error!.message).toMatch(/inside transaction scope "tx"/);
  });

  it('rehearse reports a statement that cannot run in a transaction without running it; apply runs it', async () => {
    const db = await fresh('postgres');
    const concurrent = node('idx', 'SchemaModificationNode', {
      table: 'users',
      operation: 'create_index',
      index_name: 'users_name_idx',
      columns: ['name'],
      concurrently: true,
    });
    const rehearse = await runWorkflow(workflow([concurrent]), db, { mode: 'rehearse' });
    expect(rehearse.status, rehearse.error ?? '').toBe('succeeded');
    expect(rehearse.nodes.idx!.sql.some((s) => s.notRun && !s.transactional)).toBe(true);
    expect(rehearse.warnings.join()).toMatch(/not run in rehearse/);
    const applied = await runWorkflow(workflow([concurrent]), db, { mode: 'apply' });
    expect(applied.status, applied.error ?? '').toBe('succeeded');
    expect(applied.diff!.changes.map((c) => c.kind)).toEqual(['index_added']);
  });
});
