import { describe, expect, it } from 'vitest';
import type { NodeResult, RunResult } from '../../shared/run.ts';
import { nodeToSql, planProblems, planToSql, statementLines } from '../../shared/plan-script.ts';
import { SCENARIOS } from '../../test/real-runs.ts';

function node(partial: Partial<NodeResult>): NodeResult {
  return {
    status: 'succeeded',
    startedAt: null,
    durationMs: null,
    outputs: {},
    sql: [],
    rowsAffected: 0,
    error: null,
    warnings: [],
    ...partial,
  };
}

function run(nodes: Record<string, NodeResult>, extra: Partial<RunResult> = {}): RunResult {
  return {
    runId: 'r1',
    workflow: 'wf',
    mode: 'plan',
    connection: 'sqlite:demo.db',
    status: 'succeeded',
    startedAt: '2025-06-01T10:00:00.000Z',
    durationMs: 12,
    order: Object.keys(nodes),
    nodes,
    diff: null,
    metrics: {},
    progress: {},
    warnings: [],
    error: null,
    ...extra,
  };
}

describe('planToSql on a real plan', () => {
  it('writes every planned statement in run order under a comment naming its node, type and purpose', async () => {
    const { result, nodeTypes } = await SCENARIOS.plan();
    expect(result.status).toBe('succeeded');
    const script = planToSql(result, nodeTypes);
    expect(script.startsWith(`-- workflow "orders_total_amount": plan on ${result.connection}\n`)).toBe(true);
    const add = result.nodes.phase1_add!.sql[0]!;
    expect(script).toContain(`-- node phase1_add (SchemaModificationNode): ${add.comment}\n${add.sql};`);
    expect(add.sql).toMatch(/^ALTER TABLE "orders" ADD COLUMN "total_amount"/);
    const steps = result.order.flatMap((id) => result.nodes[id]!.sql);
    expect(steps.length).toBeGreaterThanOrEqual(3);
    let at = 0;
    for (const step of steps) {
      const found = script.indexOf(`${step.sql.trim().replace(/;$/, '')};`, at);
      expect(found, step.sql).toBeGreaterThan(at);
      at = found;
    }
    expect(script).toContain('-- node index_user (SchemaModificationNode): ');
    expect(script.match(/^-- node phase2_backfill \(DataBackfillNode\): /gm)).toHaveLength(
      result.nodes.phase2_backfill!.sql.length,
    );
    expect(planProblems(result)).toEqual([]);
  });

  it('marks a node that cannot be planned as failed, the nodes after it as not run, and lists the error once', async () => {
    const { result, nodeTypes } = await SCENARIOS.failedPlan();
    expect(result.status).toBe('failed');
    const error = result.nodes.add_email!.error!;
    expect(error.message).toMatch(/default_value/);
    const script = planToSql(result, nodeTypes);
    expect(script).toContain(`-- node add_email (SchemaModificationNode): FAILED: ${error.message.split('\n')[0]}`);
    expect(script).toContain('-- node check_email (ValidationNode): not run');
    const problems = planProblems(result);
    expect(problems.filter((p) => p.severity === 'error')).toEqual([
      {
        nodeId: 'add_email',
        severity: 'error',
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
        ...(error.label ? { label: error.label } : {}),
        ...(error.code ? { code: error.code } : {}),
      },
    ]);
    expect(problems[0]).toMatchObject({ field: 'nullable', label: 'Nullable' });
  });
});

describe('planToSql details', () => {
  it('comments every line of a multi-line comment or error, ends each statement with one semicolon, flags non-transactional steps and early commits', () => {
    const result = run({
      a: node({
        sql: [
          {
            sql: 'CREATE INDEX CONCURRENTLY "i" ON "t" ("c");',
            comment: 'create index\nwithout locking writes',
            transactional: false,
            rowsAffected: null,
            notRun: true,
          },
          { sql: '  UPDATE "t" SET "c" = 1  ', comment: 'set c', transactional: true, rowsAffected: null },
          {
            sql: 'ALTER TABLE "t" ADD CONSTRAINT "k" CHECK (c > 0) NOT VALID',
            comment: 'check new rows',
            transactional: true,
            rowsAffected: null,
            commitAfter: true,
          },
        ],
      }),
      b: node({ status: 'failed', error: { message: 'column "x" missing\nadd it first', field: 'column_name' } }),
      c: node({ status: 'skipped' }),
    });
    expect(planToSql(result, { a: 'SchemaModificationNode' })).toBe(
      [
        '-- workflow "wf": plan on sqlite:demo.db',
        '-- planned at 2025-06-01T10:00:00.000Z, status succeeded',
        '',
        '-- node a (SchemaModificationNode): create index',
        '-- without locking writes',
        '-- runs outside a transaction',
        'CREATE INDEX CONCURRENTLY "i" ON "t" ("c");',
        '',
        '-- node a (SchemaModificationNode): set c',
        'UPDATE "t" SET "c" = 1;',
        '',
        '-- node a (SchemaModificationNode): check new rows',
        'ALTER TABLE "t" ADD CONSTRAINT "k" CHECK (c > 0) NOT VALID;',
        '-- commits here: the next statement runs in a new transaction, without this lock',
        '',
        '-- node b: FAILED: column "x" missing',
        '-- add it first',
        '',
        '-- node c: skipped',
        '',
      ].join('\n'),
    );
    expect(nodeToSql('c', result.nodes.c!)).toBe('-- node c: skipped');
  });

  it('lists node warnings once (the run repeats them) after the errors, and the run error only when no node has one', () => {
    const result = run(
      { a: node({ warnings: ['slow table'] }), b: node({ status: 'not_run' }) },
      { status: 'failed', error: 'the migration lock is held by run 7', warnings: ['node "a": slow table', 'no diff'] },
    );
    expect(planProblems(result)).toEqual([
      { nodeId: null, severity: 'error', message: 'the migration lock is held by run 7' },
      { nodeId: 'a', severity: 'warning', message: 'slow table' },
      { nodeId: null, severity: 'warning', message: 'no diff' },
    ]);
  });
});

describe('statementLines', () => {
  it('gives the line each statement of a real plan ends on, in the whole script and in one node', async () => {
    const { result, nodeTypes } = await SCENARIOS.plan();
    const script = planToSql(result, nodeTypes).split('\n');
    const lines = statementLines(result, nodeTypes);
    const steps = result.order.flatMap((id) => result.nodes[id]!.sql.map((s, i) => ({ id, i, sql: s.sql.trim() })));
    expect(steps.length).toBeGreaterThan(3);
    expect([...lines.keys()]).toEqual(steps.map((s) => `${s.id}#${s.i}`));
    for (const s of steps) {
      const end = lines.get(`${s.id}#${s.i}`)!;
      const lastLine = s.sql.split('\n').pop()!;
      expect(script[end - 1]!.startsWith(lastLine.replace(/;$/, ''))).toBe(true);
      expect(script[end - 1]!.endsWith(';')).toBe(true);
    }
    const id = steps.at(-1)!.id;
    const own = nodeToSql(id, result.nodes[id]!, nodeTypes).split('\n');
    for (const [key, end] of statementLines(result, nodeTypes, id))
      expect(own[end - 1]).toContain(
        result.nodes[id]!.sql[Number(key.split('#')[1])]!.sql.trim().split('\n').pop()!.replace(/;$/, ''),
      );
  });
});
