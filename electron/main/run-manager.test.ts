import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeWorkflow, type Workflow } from '../../shared/workflow.ts';
import { openDatabase } from '../db/connect.ts';
import { acquireMigrationLock } from '../db/migration-lock.ts';
import { testCore, type TestCore } from '../../test/app-core.ts';
import { dataflow } from '../../test/dataflow-cli.ts';

/** A backfill slow enough to cancel: 60 batches of 5 orders, 100 ms apart. */
const slow: Workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'slow_backfill',
  description: '',
  nodes: [
    {
      id: 'refill_tax',
      type: 'DataBackfillNode',
      params: {
        table: 'orders',
        update_field: 'tax',
        calculation: 'tax',
        where: 'id > 0',
        batch_size: 5,
        batch_target_ms: 0,
        pause_ms: 100,
      },
      position: { x: 0, y: 0 },
    },
  ],
  connections: [],
};

let core: TestCore;
beforeAll(async () => {
  core = testCore({ demoRows: 300 });
  await core.context.ready;
});
afterAll(() => core.close());

describe('runs in workers', () => {
  it('runs off the main thread and can be cancelled between batches', async () => {
    const { runId } = await core.call('run.start', {
      text: serializeWorkflow(slow),
      connectionId: 'demo',
      mode: 'rehearse',
    });
    const started = Date.now();
    while (!core.sender.runEvents(runId).some((e) => e.type === 'progress')) {
      if (Date.now() - started > 60_000) throw new Error('no progress event');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await core.call('run.cancel', { runId })).toEqual({ cancelled: true });
    const cancelledAt = Date.now();
    const { result } = await core.sender.finished(runId);
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    expect(result.status).toBe('cancelled');
    expect(result.nodes.refill_tax?.status).toBe('cancelled');
    expect(core.context.store.getRun(runId)?.status).toBe('cancelled');
    expect(await core.call('run.cancel', { runId })).toEqual({ cancelled: false });
  });

  it('ends a run whose connection cannot open with run_started, run_finished and a history entry', async () => {
    const missing = await core.call('connections.save', {
      connection: { name: 'Gone', kind: 'sqlite', path: `${core.dataDir}/gone.db` },
    });
    const { runId } = await core.call('run.start', {
      text: serializeWorkflow(slow),
      connectionId: missing.id,
      mode: 'plan',
    });
    const { result } = await core.sender.finished(runId);
    expect(core.sender.runEvents(runId).map((e) => e.type)).toEqual(['run_started', 'run_finished']);
    expect(result).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('no SQLite database at'),
      errorCode: 'failed',
      nodes: { refill_tax: { status: 'not_run' } },
    });
    expect((await core.call('history.list', {})).find((r) => r.runId === runId)).toMatchObject({
      status: 'failed',
      connection: 'Gone',
    });
  });

  it("a run refused by another run's migration lock says so by code, across the worker", async () => {
    const tracked: Workflow = {
      ...slow,
      name: 'tracked',
      nodes: [
        {
          id: 'track',
          type: 'MigrationNode',
          params: { migration_name: 'm1', status: 'pending' },
          position: { x: 0, y: 0 },
        },
      ],
    };
    const other = await openDatabase(`sqlite:${core.context.demoPath()}`);
    const held = await acquireMigrationLock(other, { runId: 'run-elsewhere', workflow: 'elsewhere' });
    try {
      const { runId } = await core.call('run.start', {
        text: serializeWorkflow(tracked),
        connectionId: 'demo',
        mode: 'rehearse',
      });
      const { result } = await core.sender.finished(runId);
      expect(result).toMatchObject({ status: 'failed', errorCode: 'migration_lock_held' });
      expect(result.error).toMatch(/held by run run-elsewhere, workflow "elsewhere"/);
    } finally {
      await held.release();
      await other.driver.close();
    }
  });

  it('carries a partial run (subset) to the worker, for run.start and run.plan, and refuses an unknown node', async () => {
    const two: Workflow = {
      ...slow,
      name: 'two',
      nodes: [
        {
          id: 'first',
          type: 'SchemaModificationNode',
          params: { table: 'orders', operation: 'add_column', column_name: 'c1', column_type: 'integer' },
          position: { x: 0, y: 0 },
        },
        {
          id: 'second',
          type: 'SchemaModificationNode',
          params: { table: 'orders', operation: 'add_column', column_name: 'c2', column_type: 'integer' },
          position: { x: 0, y: 0 },
        },
      ],
      connections: [{ source: 'first', sourceOutput: 'result', target: 'second', targetInput: 'input' }],
    };
    const text = serializeWorkflow(two);
    const { runId } = await core.call('run.start', {
      text,
      connectionId: 'demo',
      mode: 'rehearse',
      subset: { from: 'second' },
    });
    const { result } = await core.sender.finished(runId);
    expect(result.status, result.error ?? '').toBe('succeeded');
    expect(result.nodes.first).toMatchObject({ status: 'skipped', reason: 'outside_run' });
    expect(result.nodes.second!.status).toBe('succeeded');
    const plan = await core.call('run.plan', { text, connectionId: 'demo', subset: { only: ['first'] } });
    expect(plan.nodes.first!.sql.length).toBeGreaterThan(0);
    expect(plan.nodes.second).toMatchObject({ status: 'skipped', reason: 'outside_run' });
    await expect(
      core.call('run.start', { text, connectionId: 'demo', mode: 'plan', subset: { only: ['third'] } }),
    ).rejects.toMatchObject({ ipc: { field: 'subset.only', message: expect.stringContaining('node "third"') } });
  });

  it("keeps an apply in the history with each node's statements and its schema before and after; History lists its CLI rollback", async () => {
    const addNote: Workflow = {
      format: 'dataflow-workflow',
      version: 1,
      name: 'records_note',
      description: '',
      nodes: [
        {
          id: 'add_note',
          type: 'SchemaModificationNode',
          params: { table: 'users', operation: 'add_column', column_name: 'records_note', column_type: 'text' },
          position: { x: 0, y: 0 },
        },
      ],
      connections: [],
    };
    // The connection's warm planner reads and keeps the schema; the apply makes it read it again.
    const kept = await core.call('schema.introspect', { connectionId: 'demo' });
    expect(kept.tables.find((t) => t.name === 'users')!.columns.map((c) => c.name)).not.toContain('records_note');
    const { runId } = await core.call('run.start', {
      text: serializeWorkflow(addNote),
      connectionId: 'demo',
      mode: 'apply',
    });
    const { result } = await core.sender.finished(runId);
    expect(result.status, result.error ?? '').toBe('succeeded');
    const { store } = core.context;
    const [node] = store.runNodes(runId);
    expect(node).toMatchObject({ nodeId: 'add_note', position: 0, status: 'succeeded' });
    expect(node!.statements.map((s) => s.sql).join('\n')).toMatch(/ADD COLUMN "records_note"/);
    const columns = (hash: string | null) =>
      store
        .snapshot(hash!)!
        .tables.find((t) => t.name === 'users')!
        .columns.map((c) => c.name);
    expect(columns(node!.schemaBefore)).not.toContain('records_note');
    expect(columns(node!.schemaAfter)).toContain('records_note');
    expect(node!.schemaAfter).toBe(result.nodes.add_note!.schemaAfter);

    // Its rollback, built from the record and planned in a worker (History's Roll back), nothing written.
    const rollback = await core.call('rollback.plan', { connectionId: 'demo', runId });
    expect(rollback).toMatchObject({ runId, workflow: 'records_note', state: 'succeeded' });
    expect(rollback.plan.status).toBe('succeeded');
    expect(rollback.plan.order.flatMap((id) => rollback.plan.nodes[id]!.sql.map((x) => x.sql)).join('\n')).toMatch(
      /DROP COLUMN "records_note"/,
    );
    const live = await core.call('schema.introspect', { connectionId: 'demo' });
    expect(live.tables.find((t) => t.name === 'users')!.columns.map((c) => c.name)).toContain('records_note');
    await expect(core.call('rollback.plan', { connectionId: 'demo', runId: 'f'.repeat(8) })).rejects.toThrow(/no run/);

    // Rolled back with the CLI, then a CLI run: the History of the connection lists both from the
    // database's run records, saying who ran them where, and the apply as rolled back.
    const db = `sqlite:${core.context.demoPath()}`;
    const back = await dataflow('rollback', runId, '--db', db, '--json');
    expect(back.code, back.stderr).toBe(0);
    const rollbackId = (JSON.parse(back.stdout) as { runId: string }).runId;
    const file = join(core.homeDir, 'cli-note.dataflow.json');
    writeFileSync(file, serializeWorkflow({ ...addNote, name: 'cli_note' }));
    const cli = await dataflow('run', file, '--db', db, '--json');
    expect(cli.code, cli.stderr).toBe(0);
    const cliRunId = (JSON.parse(cli.stdout) as { runId: string }).runId;
    const ours = [cliRunId, rollbackId, runId];
    const editorOnly = await core.call('history.list', { limit: 50 });
    expect(editorOnly.filter((r) => ours.includes(r.runId)).map((r) => r.runId)).toEqual([runId]);
    expect(editorOnly.find((r) => r.runId === runId)!.rolledBackBy).toBeNull();
    const history = (await core.call('history.list', { limit: 50, connectionId: 'demo' })).filter((r) =>
      ours.includes(r.runId),
    );
    expect(history.map((r) => r.runId)).toEqual(ours);
    expect(history[2]).toMatchObject({ runId, rolledBackBy: rollbackId });
    expect(history[2]!.recordedBy).toBeUndefined();
    for (const [r, workflow] of [
      [history[0]!, 'cli_note'],
      [history[1]!, `rollback of run ${runId}`],
    ] as const) {
      expect(r).toMatchObject({ workflow, mode: 'apply', state: 'succeeded', connectionId: 'demo', resumable: false });
      expect(r.recordedBy?.host).toBeTruthy();
      expect(r.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(await core.call('history.list', { limit: 1, connectionId: 'demo' })).toMatchObject([{ runId: cliRunId }]);
  });

  it('resumes an apply cancelled in its backfill: what it would do, refused while a node changed, then forced', async () => {
    const fill = (pauseMs: number): Workflow => ({
      format: 'dataflow-workflow',
      version: 1,
      name: 'resumed_total',
      description: '',
      nodes: [
        {
          id: 'add_total',
          type: 'SchemaModificationNode',
          params: {
            table: 'orders',
            operation: 'add_column',
            column_name: 'resume_total',
            column_type: 'numeric(10,2)',
          },
          position: { x: 0, y: 0 },
        },
        {
          id: 'fill_total',
          type: 'DataBackfillNode',
          params: {
            table: 'orders',
            update_field: 'resume_total',
            calculation: 'subtotal + tax',
            batch_size: 5,
            batch_target_ms: 0,
            pause_ms: pauseMs,
          },
          position: { x: 300, y: 0 },
        },
      ],
      connections: [{ source: 'add_total', sourceOutput: 'result', target: 'fill_total', targetInput: 'input' }],
    });
    const text = serializeWorkflow(fill(100));
    const { runId } = await core.call('run.start', { text, connectionId: 'demo', mode: 'apply' });
    const started = Date.now();
    while (!core.sender.runEvents(runId).some((e) => e.type === 'progress')) {
      if (Date.now() - started > 60_000) throw new Error('no progress event');
      await new Promise((r) => setTimeout(r, 20));
    }
    await core.call('run.cancel', { runId });
    expect((await core.sender.finished(runId)).result.status).toBe('cancelled');
    expect(core.context.store.listRuns(1)[0]).toMatchObject({ runId, state: 'partially applied', resumable: true });

    const check = await core.call('run.resumeCheck', { text, connectionId: 'demo', runId });
    expect(check).toMatchObject({ runId, state: 'partially applied', done: ['add_total'], changed: [] });
    const edited = serializeWorkflow(fill(0));
    expect((await core.call('run.resumeCheck', { text: edited, connectionId: 'demo', runId })).changed).toEqual([
      { node: 'fill_total', change: 'edited' },
    ]);
    await expect(
      core.call('run.start', { text: edited, connectionId: 'demo', mode: 'rehearse', resume: { runId } }),
    ).rejects.toMatchObject({ ipc: { field: 'resume' } });

    const resumed = await core.call('run.start', {
      text: edited,
      connectionId: 'demo',
      mode: 'apply',
      resume: { runId, force: true },
    });
    const { result } = await core.sender.finished(resumed.runId);
    expect(result.status, result.error ?? '').toBe('succeeded');
    expect(result.resumed).toEqual({ runId, done: ['add_total'] });
    expect(result.nodes.add_total).toMatchObject({ status: 'skipped', reason: 'done_before' });
    expect(result.nodes.fill_total!.sql.every((s) => s.notRun || s.durationMs! >= 0)).toBe(true);
    await expect(
      core.call('run.resumeCheck', { text: edited, connectionId: 'demo', runId: resumed.runId }),
    ).rejects.toThrow(/nothing to resume/);
    const db = await openDatabase(`sqlite:${join(core.dataDir, 'demo.db')}`);
    try {
      const { rows } = await db.driver.query<{ n: number }>(
        'SELECT count(*) AS n FROM orders WHERE resume_total IS NULL',
      );
      expect(Number(rows[0]!.n)).toBe(0);
    } finally {
      await db.driver.close();
    }
  });
});
