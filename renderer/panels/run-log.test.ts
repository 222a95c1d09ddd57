import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeResult, RunEvent, RunResult } from '../../shared/run.ts';
import { eventsOf, runErrorText, runView } from './run-log.ts';
import { SCENARIOS, type RealRun } from '../../test/real-runs.ts';

const finished = (runId: string, nodeId: string, r: Partial<NodeResult>): RunEvent => ({
  type: 'node_finished',
  runId,
  nodeId,
  result: {
    status: 'succeeded',
    startedAt: null,
    durationMs: null,
    outputs: {},
    sql: [],
    rowsAffected: 0,
    error: null,
    warnings: [],
    ...r,
  },
});

describe('runView of a real apply', () => {
  let apply: RealRun;
  beforeAll(async () => {
    apply = await SCENARIOS.apply();
  });

  it('follows the zero-downtime example node by node, with times that never go back', () => {
    expect(apply.result.status).toBe('succeeded');
    const view = runView(apply.events, null)!;
    expect(view.status).toBe('succeeded');
    expect(view.nodes.map((n) => [n.id, n.status])).toEqual([
      ['phase1_add', 'succeeded'],
      ['phase2_backfill', 'succeeded'],
      ['phase3_constraint', 'succeeded'],
    ]);
    const rows = apply.result.nodes.phase2_backfill!.rowsAffected;
    expect(rows).toBeGreaterThanOrEqual(3000);
    expect(view.nodes[1]!.rowsAffected).toBe(rows);
    expect(view.log.map((l) => l.kind)).toEqual([
      'run',
      'started',
      'finished',
      'started',
      'finished',
      'started',
      'finished',
      'run',
    ]);
    expect(view.log[4]!.text).toMatch(
      new RegExp(`^succeeded in \\d+(\\.\\d)? m?s, ${rows.toLocaleString('en-US')} rows$`),
    );
    expect(view.log[0]!.text).toBe('apply of "Zero-Downtime Migrations" started: 3 nodes');
    const times = view.log.map((l) => l.atMs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times.at(-1)).toBeCloseTo(apply.result.durationMs, 0);
    expect(view.progress).toEqual([]);
  });

  it('shows live progress only while its node runs', () => {
    const cut = apply.events.findLastIndex((e) => e.type === 'progress');
    expect(cut).toBeGreaterThan(0);
    const live = runView(apply.events.slice(0, cut + 1), null)!;
    expect(live.status).toBe('running');
    expect(live.nodes.map((n) => n.status)).toEqual(['succeeded', 'running', 'pending']);
    expect(live.progress).toEqual([
      { nodeId: 'phase2_backfill', progress: (apply.events[cut] as Extract<RunEvent, { type: 'progress' }>).progress },
    ]);
  });

  it('rebuilds the same statuses from the result alone (a run opened from history)', () => {
    const fromResult = runView([], apply.result)!;
    const live = runView(apply.events, null)!;
    expect(fromResult.nodes).toEqual(live.nodes);
    expect(fromResult.log.map((l) => [l.kind, l.nodeId])).toEqual(live.log.map((l) => [l.kind, l.nodeId]));
    expect(eventsOf(apply.result).at(-1)).toEqual({
      type: 'run_finished',
      runId: apply.result.runId,
      result: apply.result,
    });
  });
});

describe('runView', () => {
  it('shows only the last run of the stream and times a warning at the latest event before it', () => {
    const events: RunEvent[] = [
      { type: 'run_started', runId: 'old', mode: 'plan', workflow: 'w', order: ['x'], at: '2025-06-01T10:00:00.000Z' },
      {
        type: 'run_started',
        runId: 'new',
        mode: 'rehearse',
        workflow: 'w',
        order: ['a', 'b'],
        at: '2025-06-01T10:01:00.000Z',
      },
      { type: 'node_started', runId: 'new', nodeId: 'a', at: '2025-06-01T10:01:00.250Z' },
      { type: 'warning', runId: 'new', nodeId: 'a', message: 'table is large' },
      finished('new', 'a', {
        status: 'failed',
        startedAt: '2025-06-01T10:01:00.250Z',
        durationMs: 500,
        error: { message: 'boom', code: '23505' },
      }),
      finished('new', 'b', { status: 'not_run' }),
    ];
    const view = runView(events, null)!;
    expect(view.runId).toBe('new');
    expect(view.nodes.map((n) => [n.id, n.status])).toEqual([
      ['a', 'failed'],
      ['b', 'not_run'],
    ]);
    expect(view.nodes[0]!.error).toEqual({ message: 'boom', code: '23505' });
    expect(view.log[3]!.error).toEqual({ code: '23505' });
    expect(view.log.map((l) => [l.atMs, l.kind, l.text])).toEqual([
      [0, 'run', 'rehearse of "w" started: 2 nodes'],
      [250, 'started', 'started'],
      [250, 'warning', 'table is large'],
      [750, 'failed', 'failed in 500 ms: boom'],
      [750, 'finished', 'not run'],
    ]);
  });

  it('names the node a failed run failed in, with its field, label and code, and adds the fix to a run-level error', () => {
    const error = {
      message: 'param "column_name": no column "tier"',
      field: 'column_name',
      label: 'Column',
      code: 'DF104',
    };
    const events: RunEvent[] = [
      { type: 'run_started', runId: 'r', mode: 'apply', workflow: 'w', order: ['a'], at: '2025-06-01T10:00:00.000Z' },
      finished('r', 'a', { status: 'failed', error }),
    ];
    const result: RunResult = {
      runId: 'r',
      workflow: 'w',
      mode: 'apply',
      connection: 'demo',
      status: 'failed',
      startedAt: '2025-06-01T10:00:00.000Z',
      durationMs: 1200,
      order: ['a'],
      nodes: { a: (events[1] as Extract<RunEvent, { type: 'node_finished' }>).result },
      error: 'node "a" failed',
      warnings: [],
      diff: null,
      metrics: {},
      progress: {},
    };
    const view = runView([...events, { type: 'run_finished', runId: 'r', result }], null)!;
    expect(view.log.at(-1)).toMatchObject({
      nodeId: 'a',
      kind: 'failed',
      run: true,
      text: 'failed in 1.2 s: node "a" failed',
      error: { field: 'column_name', label: 'Column', code: 'DF104' },
    });
    expect(runErrorText('could not take the migration lock: held by run 7', 'migration_lock_held')).toBe(
      'could not take the migration lock: held by run 7; wait for that run to end, or cancel it, then start again',
    );
    expect(runErrorText('refused; accept it with --accept-drift', 'schema_drift')).toBe(
      'refused; accept it with --accept-drift',
    );
  });

  it('is null with neither events nor a result', () => {
    expect(runView([], null)).toBeNull();
  });
});
