import { describe, expect, it } from 'vitest';
import type { NodeResult, RunEvent } from '../../shared/run.ts';
import type { Workflow } from '../../shared/workflow.ts';
import { liveEvents, progressLine } from './run-output.ts';

const workflow: Workflow = {
  format: 'dataflow-workflow',
  version: 1,
  name: 'w',
  description: '',
  nodes: [{ id: 'fill', type: 'DataBackfillNode', params: {}, position: { x: 0, y: 0 } }],
  connections: [],
};

const finished: NodeResult = {
  status: 'failed',
  startedAt: null,
  durationMs: 1500,
  outputs: {},
  sql: [],
  rowsAffected: 42,
  warnings: [],
  error: { message: 'column "x" does not exist', field: 'update_field' },
};

const events = (done: number[]): RunEvent[] => [
  { type: 'node_started', runId: 'r', nodeId: 'fill', at: '' },
  ...done.map((d): RunEvent => ({
    type: 'progress',
    runId: 'r',
    nodeId: 'fill',
    progress: { done: d, total: 100, rowsPerSecond: 50, etaSeconds: (100 - d) / 50 },
  })),
  { type: 'node_finished', runId: 'r', nodeId: 'fill', result: finished },
];

function render(tty: boolean, done: number[]): string {
  let text = '';
  const on = liveEvents(workflow, (t) => (text += t), tty);
  events(done).forEach(on);
  return text;
}

describe('live run output', () => {
  it('draws a progress bar', () => {
    expect(progressLine('fill', { done: 29, total: 100, rowsPerSecond: 12.4, etaSeconds: 2 })).toBe(
      '       fill [#######-----------------] 29% 29/100 rows, 12 rows/s, ETA 2.0 s',
    );
  });

  it('redraws progress in place on a terminal and clears it before the next line', () => {
    const text = render(true, [10, 20, 100]);
    expect(text).toBe(
      'start  fill (DataBackfillNode)\n' +
        `\r\x1b[2K${progressLine('fill', { done: 10, total: 100, rowsPerSecond: 50, etaSeconds: 1.8 })}` +
        `\r\x1b[2K${progressLine('fill', { done: 20, total: 100, rowsPerSecond: 50, etaSeconds: 1.6 })}` +
        `\r\x1b[2K${progressLine('fill', { done: 100, total: 100, rowsPerSecond: 50, etaSeconds: 0 })}` +
        '\r\x1b[2KFAIL   fill: failed in 1.5 s, 42 row(s)\n       node "fill", field "update_field": column "x" does not exist\n',
    );
  });

  it('prints plain progress lines elsewhere, at most one a second plus the last', () => {
    const lines = render(false, [10, 20, 30, 100]).split('\n');
    expect(lines.filter((l) => l.includes('[')).map((l) => /(\d+)%/.exec(l)![1])).toEqual(['10', '100']);
    expect(lines.join('\n')).not.toContain('\r');
  });
});
