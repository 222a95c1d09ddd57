/** Run panel: live per-node status and log, progress of long work, errors that lead to their node. */
import { outcomeLabel, type Progress, type RunEvent, type RunMode, type RunResult } from '../../shared/run.ts';
import { driftLines } from '../../shared/drift.ts';
import { resumable, runState } from '../../shared/run-state.ts';
import { RehearsalNote } from './RehearsalNote.tsx';
import { ReviewNote } from './ReviewNote.tsx';
import { formatDuration, formatEta, formatNumber, formatOffset, plural } from './format.ts';
import { runView, type LogLine, type NodeLine } from './run-log.ts';
import { Problem } from '../layout/Problem.tsx';
import './panels.css';

export interface RunPanelProps {
  /** The events of the current run as they arrive (events of earlier runs before its `run_started` are ignored). */
  events: readonly RunEvent[];
  /** The finished result; used alone when `events` is empty (a run opened from history). */
  result: RunResult | null;
  /** Selects (and highlights) a node on the canvas. */
  onSelectNode: (id: string) => void;
  /** Opens a node's execution view (what it did); without it, a node's name selects it. */
  onShowNode?: (id: string) => void;
  /** Resumes the run shown, offered when it is an apply that stopped part-way (shared/run-state.ts). */
  onResume?: () => void;
  /** A run confirmed but not started yet (no event so far): its mode and target. */
  starting?: { mode: RunMode; target: string | null } | null;
}

/** A log line's badge: what it is about (the run, a node, a warning or note), coloured by its kind. */
function logBadge(line: LogLine): { text: string; className: string } {
  const className =
    line.kind === 'failed'
      ? 'df-badge-error'
      : line.kind === 'warning' || line.kind === 'note'
        ? `df-badge-${line.kind}`
        : '';
  return { text: line.run ? 'run' : line.kind === 'warning' || line.kind === 'note' ? line.kind : 'node', className };
}

const STARTING: Record<RunMode, string> = {
  plan: 'Starting the plan',
  rehearse: 'Starting the rehearsal',
  apply: 'Starting the apply',
};

export function RunPanel({ events, result, onSelectNode, onShowNode, onResume, starting }: RunPanelProps) {
  const view = runView(events, result);
  if (!view) {
    return (
      <section className="df-panel" data-testid="run-panel">
        <header className="df-panel-head">
          <h2>Run</h2>
        </header>
        {starting ? (
          <p className="df-empty" data-testid="run-starting" role="status">
            {STARTING[starting.mode]}
            {starting.target ? ` on ${starting.target}` : ''}…
          </p>
        ) : (
          <p className="df-empty">No run yet: plan, rehearse or apply the workflow.</p>
        )}
      </section>
    );
  }
  const failedNodes = view.nodes.some((n) => n.status === 'failed');
  const finished = result && result.runId === view.runId ? result : null;
  const state = finished ? runState(finished) : view.status;
  return (
    <section className="df-panel" data-testid="run-panel">
      <header className="df-panel-head">
        <h2>Run</h2>
        <span
          className={`df-badge df-status-${state === 'partially applied' ? 'partial' : state}`}
          data-testid="run-status"
        >
          {state}
        </span>
        <span className="df-muted">
          {view.mode} of “{view.workflow}”
        </span>
        {finished && onResume && resumable(finished) && (
          <button
            type="button"
            className="df-head-action"
            data-testid="run-resume"
            title="Continue this apply: the nodes it completed are not run again, a backfill continues from its checkpoint"
            onClick={onResume}
          >
            Resume
          </button>
        )}
      </header>
      {state === 'partially applied' && (
        <p className="df-muted" data-testid="run-partial">
          Stopped part-way: the nodes before the stop are applied, the rest are not. Resume continues it from there.
        </p>
      )}
      {result?.resumed && (
        <p className="df-muted" data-testid="run-resumed">
          Resumes run <code>{result.resumed.runId.slice(0, 8)}</code>
          {result.resumed.done.length > 0
            ? `: ${result.resumed.done.join(', ')} done before, not run again.`
            : ': no node of it had completed.'}
        </p>
      )}
      <RehearsalNote mode={view.mode} finished={view.status !== 'running'} />
      <ReviewNote review={result?.review} />
      {result?.drift?.accepted && (
        <p className="df-muted" data-testid="run-drift-accepted">
          Drift accepted before this run: {driftLines(result.drift.report).join('; ')}
        </p>
      )}
      {view.error && !failedNodes && (
        <p className="df-error" data-testid="run-error">
          <Problem message={view.error} code={finished?.errorCode} />
        </p>
      )}
      {view.progress.map((p) => (
        <ProgressBar key={p.nodeId} nodeId={p.nodeId} progress={p.progress} />
      ))}
      <ul className="df-list" data-testid="run-nodes">
        {view.nodes.map((n) => (
          <NodeRow key={n.id} node={n} onSelectNode={onSelectNode} onShowNode={onShowNode} />
        ))}
      </ul>
      <ol className="df-log" data-testid="run-log" tabIndex={0} aria-label="Run log">
        {view.log.map((line, i) => (
          <li key={i} className={`df-log-${line.kind}`} data-testid="run-log-line">
            <time className="df-muted">{formatOffset(line.atMs)}</time>{' '}
            <span className={`df-badge ${logBadge(line).className}`}>{logBadge(line).text}</span>{' '}
            <Problem
              node={line.nodeId}
              field={line.error?.field}
              label={line.error?.label}
              message={line.text}
              code={line.error?.code}
            />
          </li>
        ))}
      </ol>
    </section>
  );
}

function NodeRow({
  node,
  onSelectNode,
  onShowNode,
}: {
  node: NodeLine;
  onSelectNode: (id: string) => void;
  onShowNode: ((id: string) => void) | undefined;
}) {
  return (
    <li
      className="df-node-row"
      data-testid={`run-node-${node.id}`}
      data-status={node.status}
      data-outcome={node.outcome?.kind}
    >
      <span className={`df-badge df-status-${node.outcome ? 'already' : node.status}`}>
        {node.outcome ? outcomeLabel(node.outcome) : node.status.replace('_', ' ')}
      </span>{' '}
      <button
        type="button"
        className="df-link"
        data-testid={`run-node-link-${node.id}`}
        title={onShowNode ? `What ${node.id} did: statements, outputs, timings` : undefined}
        onClick={() => (onShowNode ?? onSelectNode)(node.id)}
      >
        {node.id}
      </button>
      {node.durationMs !== null && <span className="df-muted"> {formatDuration(node.durationMs)}</span>}
      {node.rowsAffected > 0 && <span className="df-muted"> · {plural(node.rowsAffected, 'row')}</span>}
      {node.outcome && (
        <div className="df-muted" data-testid={`run-node-outcome-${node.id}`}>
          {node.outcome.note}
        </div>
      )}
      {node.error && (
        <div className="df-error" data-testid={`run-node-error-${node.id}`}>
          <Problem
            node={node.id}
            field={node.error.field}
            label={node.error.label}
            message={node.error.message}
            code={node.error.code}
          />{' '}
          <button type="button" data-testid={`run-show-node-${node.id}`} onClick={() => onSelectNode(node.id)}>
            Show on canvas
          </button>
        </div>
      )}
    </li>
  );
}

function ProgressBar({ nodeId, progress }: { nodeId: string; progress: Progress }) {
  const { done, total, rowsPerSecond, etaSeconds, message } = progress;
  const pct = total > 0 ? Math.min(100, (done / total) * 100) : 0;
  return (
    <div className="df-progress" data-testid={`run-progress-${nodeId}`}>
      <div
        className="df-progress-track"
        role="progressbar"
        aria-label={`${nodeId} progress`}
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={done}
      >
        <div className="df-progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <span data-testid="run-progress-text">
        {nodeId}: {formatNumber(done)} / {plural(total, 'row')} ({Math.floor(pct)}%) ·{' '}
        {formatNumber(Math.round(rowsPerSecond))} rows/s · {formatEta(etaSeconds)}
      </span>
      {message && <span className="df-muted"> {message}</span>}
    </div>
  );
}
