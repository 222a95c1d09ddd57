/**
 * Runs as the canvas and the panels see them: the live run (or one opened from history) built from
 * the engine's event stream, and the SQL preview's own plan run. Events can arrive before
 * `run.start` has answered with the run id; they wait in a small buffer until it does.
 */
import type {
  NodeError,
  NodeOutcome,
  NodeResult,
  NodeStatus,
  Progress,
  RunEvent,
  RunMode,
  RunResult,
} from '../../shared/run.ts';
import type { Slice } from './types.ts';

export type LiveStatus = NodeStatus | 'running' | 'waiting';

export interface NodeRun {
  status: LiveStatus;
  startedAt: string | null;
  durationMs: number | null;
  rowsAffected: number;
  error: NodeError | null;
  /** Set when the node succeeded finding its work done already (`already applied`, `already completed`). */
  outcome?: NodeOutcome;
}

export interface RunView {
  runId: string | null;
  mode: RunMode | null;
  phase: 'idle' | 'starting' | 'running' | 'finished';
  /** `history`: a past run opened from the history panel. */
  source: 'live' | 'history';
  order: string[];
  nodes: Record<string, NodeRun>;
  progress: Record<string, Progress>;
  /** The run's events as they arrived (progress coalesced per node), for the run panel. */
  events: RunEvent[];
  result: RunResult | null;
  /** Why the run could not start or failed as a whole. */
  error: string | null;
  /** Each node's inputs when the live run started (run-inputs.ts), to tell which results are stale; null for a run from history. */
  inputs: Record<string, string> | null;
}

export interface PreviewView {
  /** The workflow text the preview planned (or is planning). */
  text: string | null;
  connectionId: string | null;
  result: RunResult | null;
  pending: boolean;
  error: string | null;
}

export interface RunSlice {
  run: RunView;
  preview: PreviewView;
  /** A run was confirmed: the panels say "Starting…" until the engine's first event. */
  runStarting(mode: RunMode, inputs: Record<string, string>): void;
  runAccepted(runId: string): void;
  runRejected(message: string): void;
  receiveRunEvent(event: RunEvent): void;
  previewStarting(text: string, connectionId: string): void;
  previewDone(text: string, result: RunResult): void;
  previewRejected(text: string, message: string): void;
  /** The database changed (an apply): the next preview plans again even for the same text. */
  previewStale(): void;
  showHistoricRun(result: RunResult): void;
  clearRun(): void;
}

const EVENT_LIMIT = 5000;
const BUFFERED_RUNS = 20;

export const idleRun = (): RunView => ({
  runId: null,
  mode: null,
  phase: 'idle',
  source: 'live',
  order: [],
  nodes: {},
  progress: {},
  events: [],
  result: null,
  error: null,
  inputs: null,
});
const idlePreview = (): PreviewView => ({ text: null, connectionId: null, result: null, pending: false, error: null });

function nodeRunOf(r: NodeResult): NodeRun {
  return {
    status: r.status,
    startedAt: r.startedAt,
    durationMs: r.durationMs,
    rowsAffected: r.rowsAffected,
    error: r.error,
    ...(r.outcome ? { outcome: r.outcome } : {}),
  };
}

/** The run view after one event (pure). */
export function reduceRun(view: RunView, ev: RunEvent): RunView {
  const last = view.events.at(-1);
  const coalesce = ev.type === 'progress' && last?.type === 'progress' && last.nodeId === ev.nodeId;
  const events = coalesce ? [...view.events.slice(0, -1), ev] : [...view.events, ev].slice(-EVENT_LIMIT);
  const run = { ...view, events };
  switch (ev.type) {
    case 'run_started': {
      const nodes: Record<string, NodeRun> = {};
      for (const id of ev.order)
        nodes[id] = { status: 'waiting', startedAt: null, durationMs: null, rowsAffected: 0, error: null };
      return { ...run, phase: 'running', mode: ev.mode, order: ev.order, nodes, events: [ev] };
    }
    case 'node_started':
      return {
        ...run,
        nodes: {
          ...run.nodes,
          [ev.nodeId]: { status: 'running', startedAt: ev.at, durationMs: null, rowsAffected: 0, error: null },
        },
      };
    case 'node_finished':
      return { ...run, nodes: { ...run.nodes, [ev.nodeId]: nodeRunOf(ev.result) } };
    case 'progress':
      return { ...run, progress: { ...run.progress, [ev.nodeId]: ev.progress } };
    case 'warning':
      return run;
    case 'run_finished': {
      const r = ev.result;
      const nodes = Object.fromEntries(Object.entries(r.nodes).map(([id, n]) => [id, nodeRunOf(n)]));
      return {
        ...run,
        phase: 'finished',
        order: r.order,
        nodes,
        progress: { ...run.progress, ...r.progress },
        result: r,
        error: r.status === 'failed' ? r.error : null,
      };
    }
  }
}

export const createRunSlice: Slice<RunSlice> = (set, get) => {
  const buffered = new Map<string, RunEvent[]>();
  const replay = (runId: string): RunEvent[] => {
    const events = buffered.get(runId) ?? [];
    buffered.delete(runId);
    return events;
  };
  return {
    run: idleRun(),
    preview: idlePreview(),
    runStarting(mode, inputs) {
      set({ run: { ...idleRun(), mode, phase: 'starting', inputs } });
    },
    runAccepted(runId) {
      let run: RunView = { ...get().run, runId };
      for (const ev of replay(runId)) run = reduceRun(run, ev);
      set({ run });
    },
    runRejected(message) {
      set({ run: { ...get().run, phase: 'finished', error: message } });
    },
    receiveRunEvent(ev) {
      const { run } = get();
      if (ev.runId === run.runId && run.source === 'live') set({ run: reduceRun(run, ev) });
      else if (run.runId === null && run.phase === 'starting') {
        buffered.set(ev.runId, [...(buffered.get(ev.runId) ?? []), ev]);
        if (buffered.size > BUFFERED_RUNS) buffered.delete(buffered.keys().next().value!);
      }
    },
    previewStarting(text, connectionId) {
      set({ preview: { ...get().preview, text, connectionId, pending: true } });
    },
    previewDone(text, result) {
      if (get().preview.text === text) set({ preview: { ...get().preview, result, pending: false, error: null } });
    },
    previewRejected(text, message) {
      if (get().preview.text === text)
        set({ preview: { ...get().preview, pending: false, error: message, result: null } });
    },
    previewStale() {
      set({ preview: { ...get().preview, text: null } });
    },
    showHistoricRun(result) {
      const nodes = Object.fromEntries(Object.entries(result.nodes).map(([id, n]) => [id, nodeRunOf(n)]));
      set({
        run: {
          ...idleRun(),
          runId: result.runId,
          mode: result.mode,
          phase: 'finished',
          source: 'history',
          order: result.order,
          nodes,
          progress: result.progress,
          result,
          error: result.error,
        },
      });
    },
    clearRun() {
      set({ run: idleRun() });
    },
  };
};
