/** Folds a run's event stream into what the run panel shows: node statuses, log lines, live progress. */
import type {
  NodeError,
  NodeOutcome,
  NodeResult,
  NodeStatus,
  Progress,
  RunEvent,
  RunMode,
  RunResult,
  RunStatus,
} from '../../shared/run.ts';
import { outcomeLabel } from '../../shared/run.ts';
import { formatDuration, plural } from './format.ts';

/** A node's status while the run goes: `pending` before it starts, `running` until it finishes. */
export type LiveStatus = NodeStatus | 'pending' | 'running';

export interface NodeLine {
  id: string;
  status: LiveStatus;
  durationMs: number | null;
  rowsAffected: number;
  error: NodeError | null;
  /** A succeeded node that found its work done already. */
  outcome?: NodeOutcome;
}

/**
 * One line of the run log. Every line reads in the one message pattern (layout/Problem.tsx): the
 * node it is about, by its id; for a problem the field by its form label and the code; then the
 * text. A node's lines leave its id out of `text` (`started`, `succeeded in 12 ms, 3 rows`).
 */
export interface LogLine {
  /** Milliseconds since the run started; warnings carry no time and get the latest time known before them. */
  atMs: number;
  /** The node the line is about: the node itself, or for the run's own failed line the node it failed in. */
  nodeId: string | null;
  kind: 'run' | 'started' | 'finished' | 'failed' | 'warning' | 'note';
  /** The line is about the run as a whole (its start and end), not one node. */
  run?: true;
  text: string;
  /** The error of a failed line: the field at fault (by its label) and the code, when known. */
  error?: Pick<NodeError, 'field' | 'label' | 'code'>;
}

/** What to do about a run-level error no node carries, by its code (the engine's message says what happened). */
const RUN_FIXES: Partial<Record<string, string>> = {
  migration_lock_held: 'wait for that run to end, or cancel it, then start again',
  schema_drift: 'review the drift, then apply again and accept it, or bring the database back first',
  lint_refused: 'fix the findings, or waive them with a reason in the Apply dialog',
  run_cancelled: 'Resume continues it from where it stopped',
};

/** The run's error with its fix, unless the message gives one already (`...; do this`). */
export function runErrorText(error: string, code: string | undefined): string {
  const fix = code ? RUN_FIXES[code] : undefined;
  return fix && !error.includes(';') ? `${error}; ${fix}` : error;
}

export interface RunView {
  runId: string;
  workflow: string;
  mode: RunMode;
  startedAt: string;
  status: RunStatus | 'running';
  error: string | null;
  nodes: NodeLine[];
  log: LogLine[];
  /** The latest progress of each node still running. */
  progress: { nodeId: string; progress: Progress }[];
}

/** The events a finished result implies (for a run opened from history, whose events are gone). */
export function eventsOf(result: RunResult): RunEvent[] {
  const { runId } = result;
  const events: RunEvent[] = [
    {
      type: 'run_started',
      runId,
      mode: result.mode,
      workflow: result.workflow,
      order: result.order,
      at: result.startedAt,
    },
  ];
  for (const nodeId of result.order) {
    const node = result.nodes[nodeId];
    if (!node) continue;
    if (node.startedAt) events.push({ type: 'node_started', runId, nodeId, at: node.startedAt });
    for (const message of node.warnings) events.push({ type: 'warning', runId, nodeId, message });
    events.push({ type: 'node_finished', runId, nodeId, result: node });
  }
  events.push({ type: 'run_finished', runId, result });
  return events;
}

function finishedText(r: NodeResult): string {
  const took = r.durationMs === null ? '' : ` in ${formatDuration(r.durationMs)}`;
  const rows = r.rowsAffected > 0 ? `, ${plural(r.rowsAffected, 'row')}` : '';
  if (r.status === 'failed') return `failed${took}: ${r.error?.message ?? 'unknown error'}`;
  if (r.status === 'not_run') return 'not run';
  if (r.outcome) return `${outcomeLabel(r.outcome)}${took}: ${r.outcome.note}`;
  return `${r.status.replace('_', ' ')}${took}${rows}`;
}

/** The field and code of a node error, as a log line keeps them. */
const errorPlace = (e: NodeError): LogLine['error'] => ({
  ...(e.field !== undefined && { field: e.field }),
  ...(e.label !== undefined && { label: e.label }),
  ...(e.code !== undefined && { code: e.code }),
});

/**
 * The view of the last run in `events` (earlier runs' events are ignored); with no events, the
 * view of `result`. Null when there is neither.
 */
export function runView(events: readonly RunEvent[], result: RunResult | null): RunView | null {
  const lastStart = events.findLastIndex((e) => e.type === 'run_started');
  const stream = lastStart >= 0 ? events.slice(lastStart) : result ? eventsOf(result) : [];
  const start = stream[0];
  if (start?.type !== 'run_started') return null;
  const t0 = Date.parse(start.at);
  const view: RunView = {
    runId: start.runId,
    workflow: start.workflow,
    mode: start.mode,
    startedAt: start.at,
    status: 'running',
    error: null,
    nodes: [],
    log: [],
    progress: [],
  };
  const nodes = new Map<string, NodeLine>(
    start.order.map((id) => [id, { id, status: 'pending', durationMs: null, rowsAffected: 0, error: null }]),
  );
  const progress = new Map<string, Progress>();
  let now = 0;
  const log = (line: Omit<LogLine, 'atMs'>, at?: number) => {
    if (at !== undefined && Number.isFinite(at)) now = Math.max(now, at - t0);
    view.log.push({ atMs: now, ...line });
  };
  log(
    {
      nodeId: null,
      kind: 'run',
      run: true,
      text: `${start.mode} of "${start.workflow}" started: ${plural(start.order.length, 'node')}`,
    },
    t0,
  );

  for (const e of stream.slice(1)) {
    if (e.runId !== start.runId) continue;
    if (e.type === 'node_started') {
      nodes.set(e.nodeId, {
        ...(nodes.get(e.nodeId) ?? { id: e.nodeId, durationMs: null, rowsAffected: 0, error: null }),
        status: 'running',
      });
      log({ nodeId: e.nodeId, kind: 'started', text: 'started' }, Date.parse(e.at));
    } else if (e.type === 'node_finished') {
      const r = e.result;
      nodes.set(e.nodeId, {
        id: e.nodeId,
        status: r.status,
        durationMs: r.durationMs,
        rowsAffected: r.rowsAffected,
        error: r.error,
        ...(r.outcome ? { outcome: r.outcome } : {}),
      });
      progress.delete(e.nodeId);
      const end = r.startedAt && r.durationMs !== null ? Date.parse(r.startedAt) + r.durationMs : undefined;
      const text = finishedText(r);
      log(
        r.status === 'failed'
          ? { nodeId: e.nodeId, kind: 'failed', text, ...(r.error ? { error: errorPlace(r.error) } : {}) }
          : { nodeId: e.nodeId, kind: 'finished', text },
        end,
      );
      for (const text of r.notes ?? []) log({ nodeId: e.nodeId, kind: 'note', text }, end);
    } else if (e.type === 'progress') {
      if (nodes.get(e.nodeId)?.status === 'running') progress.set(e.nodeId, e.progress);
    } else if (e.type === 'warning') {
      log({ nodeId: e.nodeId, kind: 'warning', text: e.message });
    } else if (e.type === 'run_finished') {
      const { result: r } = e;
      view.status = r.status;
      view.error = r.error === null ? null : runErrorText(r.error, r.errorCode);
      const took = formatDuration(r.durationMs);
      // A failed run names the node it failed in, with that node's field and code.
      const at = r.status === 'failed' ? r.order.find((id) => r.nodes[id]?.status === 'failed') : undefined;
      const nodeError = at ? r.nodes[at]?.error : null;
      log(
        {
          nodeId: at ?? null,
          kind: r.status === 'succeeded' ? 'run' : 'failed',
          run: true,
          text: `${r.status} in ${took}${view.error ? `: ${view.error}` : ''}`,
          ...(nodeError ? { error: errorPlace(nodeError) } : r.errorCode ? { error: { code: r.errorCode } } : {}),
        },
        t0 + r.durationMs,
      );
    }
  }
  view.nodes = [...nodes.values()];
  view.progress = [...progress].map(([nodeId, p]) => ({ nodeId, progress: p }));
  return view;
}
