/**
 * A node's run state on its card: status (`already applied` / `already completed` with what is there,
 * for a node that found its work done), duration, rows, and a progress bar for long work (subscribed
 * here, so only cards with a run watch progress), and `details`, which opens the node's execution view.
 */
import { useApp } from '../store/index.ts';
import type { NodeRun } from '../store/run-slice.ts';
import { plural } from '../panels/format.ts';
import { outcomeLabel } from '../../shared/run.ts';
import { showExecution } from '../commands/node-runs.ts';

const LABELS: Record<NodeRun['status'], string> = {
  waiting: 'waiting',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  not_run: 'not run',
  cancelled: 'cancelled',
  rolled_back: 'rolled back',
};

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function RunBadge({ nodeId, run, stale = false }: { nodeId: string; run: NodeRun; stale?: boolean }) {
  const progress = useApp((s) => s.run.progress[nodeId]);
  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : null;
  return (
    <div
      className={`node-run${stale ? ' stale' : ''}`}
      data-testid={`node-status-${nodeId}`}
      title={
        stale
          ? 'The node was edited after this run: its result may no longer hold'
          : (run.error?.message ?? run.outcome?.note)
      }
    >
      {stale && (
        <div className="run-stale" data-testid={`node-stale-${nodeId}`}>
          edited since this run
        </div>
      )}
      <span className={`run-dot run-${run.outcome ? 'already' : run.status}`} />
      <span className="run-status" data-outcome={run.outcome?.kind}>
        {run.outcome ? outcomeLabel(run.outcome) : LABELS[run.status]}
      </span>
      {run.durationMs !== null && <span className="run-figure">{formatMs(run.durationMs)}</span>}
      {run.rowsAffected > 0 && <span className="run-figure">{plural(run.rowsAffected, 'row')}</span>}
      {run.status !== 'waiting' && run.status !== 'running' && (
        <button
          type="button"
          className="run-details nodrag"
          data-testid={`node-execution-${nodeId}`}
          title={`What ${nodeId} did: statements, outputs, timings`}
          onClick={(e) => {
            e.stopPropagation();
            showExecution(nodeId);
          }}
        >
          details
        </button>
      )}
      {run.status === 'running' && pct !== null && (
        <span className="run-progress" title={`${progress!.done} / ${progress!.total}`}>
          <span style={{ width: `${pct}%` }} />
        </span>
      )}
      {run.error && <div className="run-error">{run.error.message}</div>}
      {run.outcome && (
        <div className="run-note" data-testid={`node-outcome-${nodeId}`}>
          {run.outcome.note}
        </div>
      )}
    </div>
  );
}
