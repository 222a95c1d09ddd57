import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { findColumn, findTable } from '../../shared/schema.ts';
import { DIALECTS, freshDatabases } from '../../test/databases.ts';
import { ROOT } from '../../test/dataflow-cli.ts';
import { node, workflow } from '../../test/workflows.ts';
import { boundedOutputs, lastRecordedSchema, listRuns, readRun, readSnapshot } from '../db/run-records.ts';
import { OUTPUTS_LIMIT, OUTPUTS_TABLE } from '../db/run-record-sql.ts';
import { decodeSnapshot } from '../db/schema-snapshot.ts';
import { runWorkflow } from './run.ts';

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

/** a -> b -> c, each adding a column to users. */
const chain = workflow(
  [add('a', 'col_a'), add('b', 'col_b'), add('c', 'col_c')],
  ['a.result->b.input', 'b.result->c.input'],
  'chain',
);

const columnsOf = (schema: Awaited<ReturnType<typeof readSnapshot>>) =>
  findTable(schema!, 'users')!.columns.map((c) => c.name);

const children: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('the outputs a run record keeps', () => {
  it('are the JSON of the outputs, or beyond the limit their size and keys', () => {
    expect(JSON.parse(boundedOutputs({ rows_updated: 3, big: 2n ** 70n }))).toEqual({
      rows_updated: 3,
      big: 2 ** 70,
    });
    const huge = { rows: Array.from({ length: 20_000 }, (_, i) => ({ id: i, note: 'x'.repeat(10) })), n: 1 };
    const kept = boundedOutputs(huge);
    expect(kept.length).toBeLessThan(OUTPUTS_LIMIT);
    expect(JSON.parse(kept)).toEqual({ truncated: true, chars: JSON.stringify(huge).length, keys: ['rows', 'n'] });
  });
});

for (const dialect of DIALECTS) {
  describe(`run records (${dialect})`, () => {
    it('an apply records each node: status, statements with rows, schema before and after, in the database', async () => {
      const db = await fresh(dialect);
      const snapshots = new Map<string, string>();
      const r = await runWorkflow(chain, db, { mode: 'apply', preflight: true, snapshots });
      expect(r.status, r.error ?? '').toBe('succeeded');

      const [run, ...older] = await listRuns(db);
      expect(older).toEqual([]);
      expect(run).toMatchObject({
        runId: r.runId,
        workflow: 'chain',
        status: 'succeeded',
        state: 'succeeded',
        nodesTotal: 3,
        nodesDone: 3,
        nodesApplied: 3,
        currentNode: null,
        error: null,
      });
      expect(run!.finishedAt).not.toBeNull();

      const { nodes } = await readRun(db, r.runId.slice(0, 8));
      expect(nodes.map((n) => [n.nodeId, n.position, n.status])).toEqual([
        ['a', 0, 'succeeded'],
        ['b', 1, 'succeeded'],
        ['c', 2, 'succeeded'],
      ]);
      expect(nodes[0]!.statements.map((s) => s.sql).join('\n')).toMatch(/ADD COLUMN "col_a"/);
      expect(nodes[0]!.statements).toEqual(r.nodes.a!.sql);
      expect(nodes[0]!.statements.every((s) => s.durationMs! >= 0)).toBe(true);
      // Each node's outputs, as the run produced them.
      expect(Object.keys(r.nodes.a!.outputs).length).toBeGreaterThan(0);
      expect(nodes.map((n) => n.outputs)).toEqual(
        ['a', 'b', 'c'].map((id) => JSON.parse(JSON.stringify(r.nodes[id]!.outputs))),
      );
      // Each node's schema after is the next one's before; the chain goes from no column to three.
      expect(nodes[1]!.schemaBefore).toBe(nodes[0]!.schemaAfter);
      expect(nodes[2]!.schemaBefore).toBe(nodes[1]!.schemaAfter);
      expect(nodes[0]!.schemaBefore).toBe(run!.schemaBefore);
      expect(nodes[2]!.schemaAfter).toBe(run!.schemaAfter);
      expect(columnsOf(await readSnapshot(db, nodes[0]!.schemaBefore!))).toEqual(['id', 'name']);
      expect(columnsOf(await readSnapshot(db, nodes[0]!.schemaAfter!))).toEqual(['id', 'name', 'col_a']);
      expect(columnsOf(await readSnapshot(db, run!.schemaAfter!))).toEqual(['id', 'name', 'col_a', 'col_b', 'col_c']);
      // The caller's copy holds the same snapshots, by the same hashes as the results name.
      expect(r.nodes.c!.schemaAfter).toBe(run!.schemaAfter);
      expect(columnsOf(decodeSnapshot(snapshots.get(r.nodes.b!.schemaAfter!)!))).toEqual([
        'id',
        'name',
        'col_a',
        'col_b',
      ]);
      // Four distinct schemas, each stored once; the product's own tables are not in them.
      expect(snapshots.size).toBe(4);
      const last = await lastRecordedSchema(db);
      expect(last!.run.runId).toBe(r.runId);
      expect(last!.schema.tables.map((t) => t.name)).toEqual(['users']);
    });

    it('records outputs in a database whose run records predate them: the table comes with the next apply', async () => {
      const db = await fresh(dialect);
      const first = await runWorkflow(workflow([add('a', 'col_a')], [], 'first'), db, { mode: 'apply' });
      await db.driver.query(`DROP TABLE ${db.dialect.quoteIdent(OUTPUTS_TABLE)}`);
      expect((await readRun(db, first.runId)).nodes[0]!.outputs).toBeNull();
      const second = await runWorkflow(workflow([add('b', 'col_b')], [], 'second'), db, { mode: 'apply' });
      expect(second.status, second.error ?? '').toBe('succeeded');
      expect((await readRun(db, second.runId)).nodes[0]!.outputs).toEqual(
        JSON.parse(JSON.stringify(second.nodes.b!.outputs)),
      );
    });

    it('a run that fails part-way is listed "partially applied", the failed statement with its error', async () => {
      const db = await fresh(dialect);
      await db.setup(
        'CREATE TABLE scores (id integer PRIMARY KEY, score integer CHECK (score >= 0)); INSERT INTO scores VALUES (1, NULL);',
      );
      // b's backfill breaks the table's CHECK: the run gets past a, then b fails on the database itself.
      const clash = workflow(
        [
          add('a', 'col_a'),
          node('b', 'DataBackfillNode', {
            table: 'scores',
            update_field: 'score',
            calculation: '0 - 1',
            batch_size: 10,
            batch_target_ms: 0,
          }),
          add('c', 'col_c'),
        ],
        ['a.result->b.input', 'b.result->c.input'],
        'clash',
      );
      const r = await runWorkflow(clash, db, { mode: 'apply', preflight: false });
      expect(r.status).toBe('failed');
      const [run] = await listRuns(db);
      expect(run).toMatchObject({ status: 'failed', state: 'partially applied', nodesApplied: 1, nodesDone: 3 });
      expect(run!.error).toMatch(/check|constraint/i);
      const { nodes } = await readRun(db, r.runId);
      expect(nodes.map((n) => n.status)).toEqual(['succeeded', 'failed', 'not_run']);
      const failed = nodes[1]!.statements.find((s) => s.error !== undefined);
      expect(failed?.sql).toMatch(/UPDATE "scores"/);
      expect(failed?.error).toMatch(/check|constraint/i);
      expect(nodes[1]!.error).toMatch(/check|constraint/i);
      // Nothing of b remains: its schema after is its schema before.
      expect(nodes[1]!.schemaAfter).toBe(nodes[1]!.schemaBefore);
      expect(nodes[2]).toMatchObject({ schemaBefore: null, schemaAfter: null, statements: [] });
    });

    it('a run refused by nothing but failing at its first node is "failed", not partially applied', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(workflow([{ ...add('a', 'name') }]), db, { mode: 'apply', preflight: false });
      expect(r.status).toBe('failed');
      const [run] = await listRuns(db);
      expect(run).toMatchObject({ status: 'failed', state: 'failed', nodesApplied: 0 });
    });

    it('the nodes of a rolled-back TransactionScope are recorded rolled_back', async () => {
      const db = await fresh(dialect);
      const scoped = workflow(
        [
          node('scope', 'TransactionScopeNode', { rollback_on_error: true }),
          add('a', 'col_a'),
          // col_a again, as text: a conflicting definition fails inside the scope.
          node('b', 'SchemaModificationNode', {
            table: 'users',
            operation: 'add_column',
            column_name: 'col_a',
            column_type: 'text',
            nullable: true,
          }),
        ],
        ['scope.result->a.input', 'a.result->b.input'],
        'scoped',
      );
      const r = await runWorkflow(scoped, db, { mode: 'apply', preflight: false });
      expect(r.status).toBe('failed');
      const { run, nodes } = await readRun(db, r.runId);
      expect(nodes.map((n) => [n.nodeId, n.status])).toEqual([
        ['scope', 'rolled_back'],
        ['a', 'rolled_back'],
        ['b', 'failed'],
      ]);
      expect(run.state).toBe('failed');
      expect(columnsOf(await readSnapshot(db, run.schemaAfter!))).toEqual(['id', 'name']);
    });

    it('a run its preflight refuses records nothing: the database stays as it was', async () => {
      const db = await fresh(dialect);
      const r = await runWorkflow(workflow([add('a', 'name')]), db, { mode: 'apply', preflight: true });
      expect(r.status).toBe('failed');
      expect(await listRuns(db)).toEqual([]);
      const tables = (await db.dialect.introspect(db.driver)).tables.map((t) => t.name);
      expect(tables).toEqual(['users']);
    });

    it('rehearse and plan record nothing in the database', async () => {
      const db = await fresh(dialect);
      for (const mode of ['plan', 'rehearse'] as const) {
        const r = await runWorkflow(chain, db, { mode });
        expect(r.status, r.error ?? '').toBe('succeeded');
        expect(r.nodes.a!.schemaBefore).toBeUndefined();
      }
      expect(await listRuns(db)).toEqual([]);
    });

    it(
      'a run killed with kill -9 after its second node is listed "partially applied", its nodes so far recorded',
      { timeout: 60_000 },
      async () => {
        const db = await fresh(dialect);
        const file = join(mkdtempSync(join(tmpdir(), 'df-run-record-')), 'chain.dataflow.json');
        writeFileSync(file, JSON.stringify(chain));
        const child = spawn(process.execPath, ['--import', 'tsx', 'test/tracked-run-child.ts', db.conn, file, 'b'], {
          cwd: ROOT,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
        const runId = await new Promise<string>((resolve, reject) => {
          createInterface({ input: child.stdout! }).on('line', (line) => {
            if (line.startsWith('stopped ')) resolve(line.slice('stopped '.length));
          });
          child.on('exit', (code) => reject(new Error(`the run exited (${code}) before it stopped`)));
        });
        expect((await listRuns(db))[0]).toMatchObject({ runId, status: 'running', state: 'running' });
        child.kill('SIGKILL');
        await exited;
        const { run, nodes } = await readRun(db, runId);
        expect(run).toMatchObject({ status: 'running', state: 'partially applied', nodesDone: 2, nodesApplied: 2 });
        expect(run.finishedAt).toBeNull();
        // Every node got its row when the run started: the one it never reached is not_run.
        expect(nodes.map((n) => [n.nodeId, n.status])).toEqual([
          ['a', 'succeeded'],
          ['b', 'succeeded'],
          ['c', 'not_run'],
        ]);
        expect(columnsOf(await readSnapshot(db, run.schemaAfter!))).toEqual(['id', 'name', 'col_a', 'col_b']);
        const live = findTable(await db.dialect.introspect(db.driver), 'users')!;
        expect(findColumn(live, 'col_c')).toBeUndefined();
      },
    );
  });
}
