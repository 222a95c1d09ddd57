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

export interface LogLine {
  /** Milliseconds since the run started; warnings carry no time and get the latest time known before them. */
  atMs: number;
  nodeId: string | null;
  kind: 'run' | 'started' | 'finished' | 'failed' | 'warning' | 'note';
  text: string;
  /** A failed node's error: the line reads in the one pattern (node, field by its label, message, code). */
  error?: NodeError;
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

function finishedText(id: string, r: NodeResult): string {
  const took = r.durationMs === null ? '' : ` in ${formatDuration(r.durationMs)}`;
  const rows = r.rowsAffected > 0 ? `, ${plural(r.rowsAffected, 'row')}` : '';
  if (r.status === 'failed') return `failed${took}: ${r.error?.message ?? 'unknown error'}`;
  if (r.status === 'not_run') return `${id} not run`;
  if (r.outcome) return `${id} ${outcomeLabel(r.outcome)}${took}: ${r.outcome.note}`;
  return `${id} ${r.status}${took}${rows}`;
}

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
      log({ nodeId: e.nodeId, kind: 'started', text: `${e.nodeId} started` }, Date.parse(e.at));
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
      const text = finishedText(e.nodeId, r);
      log(
        r.status === 'failed'
          ? { nodeId: e.nodeId, kind: 'failed', text, ...(r.error ? { error: r.error } : {}) }
          : { nodeId: e.nodeId, kind: 'finished', text },
        end,
      );
      for (const text of r.notes ?? []) log({ nodeId: e.nodeId, kind: 'note', text }, end);
    } else if (e.type === 'progress') {
      if (nodes.get(e.nodeId)?.status === 'running') progress.set(e.nodeId, e.progress);
    } else if (e.type === 'warning') {
      log({ nodeId: e.nodeId, kind: 'warning', text: e.message });
    } else if (e.type === 'run_finished') {
      view.status = e.result.status;
      view.error = e.result.error;
      const took = formatDuration(e.result.durationMs);
      log(
        {
          nodeId: null,
          kind: e.result.status === 'succeeded' ? 'run' : 'failed',
          text: `run ${e.result.status} in ${took}${e.result.error ? `: ${e.result.error}` : ''}`,
        },
        t0 + e.result.durationMs,
      );
    }
  }
  view.nodes = [...nodes.values()];
  view.progress = [...progress].map(([nodeId, p]) => ({ nodeId, progress: p }));
  return view;
}
