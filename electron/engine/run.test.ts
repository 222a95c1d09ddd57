import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../shared/run.ts';
import { WorkflowError } from '../../shared/workflow.ts';
import { createTestDatabase, type TestDatabase } from '../../test/databases.ts';
import { runWorkflow, type RunOptions } from './run.ts';
import { js, node, sw, workflow } from '../../test/workflows.ts';

let db: TestDatabase & { cleanup(): Promise<void> };
beforeAll(async () => {
  db = await createTestDatabase('sqlite');
});
afterAll(async () => {
  await db.cleanup();
});

const apply = (extra: Partial<RunOptions> = {}): RunOptions => ({ mode: 'apply', trustCode: true, ...extra });

describe('order and events', () => {
  it('runs nodes in file order, a connected one as soon as its source ran, with before/after events', async () => {
    const wf = workflow(
      [js('late', 'result = input + 1'), js('first', 'result = 1'), js('second', 'result = 2')],
      ['first.result->late.input'],
    );
    const events: RunEvent[] = [];
    const r = await runWorkflow(wf, db, apply({ onEvent: (e) => events.push(e) }));
    expect(r.status).toBe('succeeded');
    expect(r.order).toEqual(['first', 'late', 'second']);
    expect(r.nodes.late!.outputs.result).toBe(2);
    expect(
      events.map((e) => (e.type === 'node_started' || e.type === 'node_finished' ? `${e.type}:${e.nodeId}` : e.type)),
    ).toEqual([
      'run_started',
      'node_started:first',
      'node_finished:first',
      'node_started:late',
      'node_finished:late',
      'node_started:second',
      'node_finished:second',
      'run_finished',
    ]);
    const started = events[0] as Extract<RunEvent, { type: 'run_started' }>;
    expect(started.order).toEqual(['first', 'late', 'second']);
    const late = r.nodes.late!;
    expect(late.status).toBe('succeeded');
    expect(typeof late.startedAt).toBe('string');
    expect(late.durationMs).toBeGreaterThan(0);
    expect(r.diff).toEqual({ changes: [], tables: [] });
  });

  it('an exception in an event listener does not change the run', async () => {
    const r = await runWorkflow(
      workflow([js('a', 'result = 1')]),
      db,
      apply({
        onEvent: () => {
          throw new Error('listener');
        },
      }),
    );
    expect(r.status).toBe('succeeded');
  });

  it('rejects an invalid workflow before running anything', async () => {
    const events: RunEvent[] = [];
    const wf = workflow([js('a', 'result = 1')], ['a.result->ghost.input']);
    await expect(runWorkflow(wf, db, apply({ onEvent: (e) => events.push(e) }))).rejects.toThrowError(WorkflowError);
    expect(events).toEqual([]);
  });
});

describe('data passing and references', () => {
  it('copies dotted output paths and puts every output in result', async () => {
    const wf = workflow(
      [
        js('src', 'result = { rows: [1, 2, 3], status: "pending" }'),
        js('count', 'result = input.length'),
        js('whole', 'result = input'),
      ],
      ['src.result.rows->count.input', 'src.result->whole.input'],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.nodes.count!.outputs.result).toBe(3);
    expect(r.nodes.whole!.outputs.result).toEqual({ rows: [1, 2, 3], status: 'pending' });
  });

  it('resolves ":name" from a field of an input object', async () => {
    const wf = workflow(
      [
        js('check', 'result = { migration_status: "completed" }'),
        sw('decide', ':migration_status', { pending: 'apply', completed: 'skip' }),
        js('apply', 'result = "applied"'),
        js('skip', 'result = "skipped"'),
      ],
      ['check.result->decide.input'],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.nodes.decide!.outputs.result).toEqual({ value: 'completed', selected: 'skip' });
    expect(r.nodes.skip!.status).toBe('succeeded');
    expect(r.nodes.apply!.status).toBe('skipped');
  });

  it('a missing reference fails the node, naming node and param; later nodes are not_run', async () => {
    const wf = workflow(
      [
        js('check', 'result = { other: 1 }'),
        sw('decide', ':migration_status', { pending: 'after' }),
        js('after', 'result = 1'),
      ],
      ['check.result->decide.input'],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.status).toBe('failed');
    expect(r.nodes.decide!.status).toBe('failed');
    expect(r.nodes.decide!.error).toMatchObject({ field: 'input' });
    expect(r.nodes.decide!.error!.message).toMatch(/":migration_status".*inputs: input/);
    expect(r.error).toMatch(/^node "decide", field "input" \(Input\): /);
    expect(r.nodes.after!.status).toBe('not_run');
  });

  it('a resolved value of the wrong type fails the param check, naming the field', async () => {
    const wf = workflow(
      [js('src', 'result = { v: { nested: true } }'), sw('decide', ':v', { a: 'x' }), js('x', 'result = 1')],
      ['src.result->decide.input'],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.nodes.decide!.status).toBe('failed');
    expect(r.nodes.decide!.error!.field).toBe('input');
  });

  it('a connection to an output the source did not produce fails the target', async () => {
    const wf = workflow([js('src', 'result = 1'), js('dst', 'result = input')], ['src.rows->dst.input']);
    const r = await runWorkflow(wf, db, apply());
    expect(r.nodes.dst!.status).toBe('failed');
    expect(r.nodes.dst!.error!.message).toMatch(/output "rows", which node "src" did not produce/);
  });
});

describe('switch routing', () => {
  it('runs only the selected route; other case targets and nodes reachable only through them are skipped', async () => {
    const wf = workflow(
      [
        js('check', 'result = { needs_rollback: "false" }'),
        sw('decide', ':needs_rollback', { true: 'rollback', false: 'proceed' }),
        js('rollback', 'result = "rolled back"'),
        js('proceed', 'result = "proceeded"'),
        js('after_rollback', 'result = 1'),
        js('either', 'result = 1'),
        js('unrelated', 'result = 1'),
      ],
      [
        'check.result->decide.input',
        'rollback.result->after_rollback.input',
        'rollback.result->either.a',
        'proceed.result->either.b',
      ],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.status).toBe('succeeded');
    expect(Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, n.status]))).toEqual({
      check: 'succeeded',
      decide: 'succeeded',
      rollback: 'skipped',
      proceed: 'succeeded',
      after_rollback: 'skipped',
      either: 'succeeded',
      unrelated: 'succeeded',
    });
    expect(r.nodes.rollback!.startedAt).toBeNull();
  });

  it('uses the default when no case matches, and fails naming the value when there is none', async () => {
    const withDefault = workflow([sw('s', 'maybe', { yes: 'a' }, 'b'), js('a', 'result = 1'), js('b', 'result = 2')]);
    const r1 = await runWorkflow(withDefault, db, apply());
    expect(r1.nodes.a!.status).toBe('skipped');
    expect(r1.nodes.b!.status).toBe('succeeded');

    const without = workflow([sw('s', 'maybe', { yes: 'a' }), js('a', 'result = 1')]);
    const r2 = await runWorkflow(without, db, apply());
    expect(r2.nodes.s!.status).toBe('failed');
    expect(r2.nodes.s!.error!.message).toMatch(/"maybe"/);
    expect(r2.nodes.a!.status).toBe('not_run');
  });

  it('matches boolean and number inputs by their text', async () => {
    const wf = workflow(
      [
        js('c', 'result = { flag: true }'),
        sw('s', ':flag', { true: 'a', false: 'b' }),
        js('a', 'result = 1'),
        js('b', 'result = 2'),
      ],
      ['c.result->s.input'],
    );
    const r = await runWorkflow(wf, db, apply());
    expect(r.nodes.s!.outputs.result).toEqual({ value: true, selected: 'a' });
    expect(r.nodes.b!.status).toBe('skipped');
  });
});

describe('cancellation and trust', () => {
  it('cancels the running node and leaves the rest not_run', async () => {
    const controller = new AbortController();
    const wf = workflow([js('quick', 'result = 1'), js('slow', 'while (true) {}', 30_000), js('after', 'result = 1')]);
    const r = await runWorkflow(
      wf,
      db,
      apply({
        signal: controller.signal,
        onEvent: (e) => {
          if (e.type === 'node_started' && e.nodeId === 'slow') setTimeout(() => controller.abort(), 200);
        },
      }),
    );
    expect(r.status).toBe('cancelled');
    expect(r.nodes.quick!.status).toBe('succeeded');
    expect(r.nodes.slow!.status).toBe('cancelled');
    expect(r.nodes.slow!.durationMs).toBeLessThan(10_000);
    expect(r.nodes.after!.status).toBe('not_run');
  });

  it('a run cancelled before it starts runs nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await runWorkflow(workflow([js('a', 'result = 1')]), db, apply({ signal: controller.signal }));
    expect(r.status).toBe('cancelled');
    expect(r.nodes.a!.status).toBe('not_run');
  });

  it('code does not run unless the user confirmed it', async () => {
    const r = await runWorkflow(
      workflow([js('a', 'result = 1'), node('b', 'PythonCodeNode', { code: 'result = 1' })]),
      db,
      { mode: 'apply' },
    );
    expect(r.nodes.a!.status).toBe('failed');
    expect(r.nodes.a!.error).toMatchObject({ field: 'code' });
    expect(r.nodes.a!.error!.message).toMatch(/--trust-code/);
  });
});

describe('plan mode with code nodes', () => {
  it('does not run code; nodes that read its outputs are skipped with a warning, the rest is planned', async () => {
    const wf = workflow(
      [
        js('code', 'result = { choice: "a" }'),
        sw('s', ':choice', { a: 'a', b: 'b' }),
        js('a', 'result = 1'),
        js('b', 'result = 2'),
        sw('static', 'x', { x: 'c' }),
        js('c', 'result = 3'),
      ],
      ['code.result->s.input'],
    );
    const events: RunEvent[] = [];
    const r = await runWorkflow(wf, db, { mode: 'plan', onEvent: (e) => events.push(e) });
    expect(r.status).toBe('succeeded');
    expect(r.nodes.code!.status).toBe('succeeded');
    expect(events.filter((e) => e.type === 'warning').map((e) => e.type === 'warning' && e.nodeId)).toEqual([
      'code',
      'code',
      's',
      'c',
      'c',
    ]);
    expect(r.warnings[0]).toMatch(/^node "code": /);
    expect(r.nodes.code!.warnings.join('\n')).toMatch(/not run in plan mode/);
    expect(r.nodes.code!.warnings.join('\n')).toMatch(/--trust-code/);
    expect(r.nodes.s!.status).toBe('skipped');
    expect(r.nodes.s!.warnings[0]).toMatch(/not planned: param "input" reads ":choice".*"code"/);
    expect(r.nodes.a!.status).toBe('skipped');
    expect(r.nodes.b!.status).toBe('skipped');
    expect(r.nodes.static!.outputs.result).toEqual({ value: 'x', selected: 'c' });
    expect(r.nodes.c!.status).toBe('succeeded');
    expect(r.diff).toBeNull();
  });
});

describe('failure messages', () => {
  it('name the failing node and field once, in the run error and in its warnings', async () => {
    const wf = workflow([node('verify', 'ValidationNode', { table: 'nope_table', check_table_exists: true })]);
    const r = await runWorkflow(wf, db, apply());
    expect(r.status).toBe('failed');
    expect(r.error).toBe(
      'node "verify", field "check_table_exists" (Table exists): 1 of 1 checks failed: check_table_exists on nope_table: expected true, observed false',
    );
    expect(r.nodes.verify!.error?.message).toBe(
      '1 of 1 checks failed: check_table_exists on nope_table: expected true, observed false',
    );
    expect(r.warnings.filter((w) => w.includes('node "verify"'))).toEqual([
      'node "verify": check_table_exists on nope_table: expected true, observed false',
    ]);
  });
});
