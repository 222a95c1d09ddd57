/**
 * History panel: past runs, newest as given first; opening one shows it on the canvas and in the
 * panels. An apply that stopped part-way reads `partially applied` and offers Resume; an apply
 * that changed something offers Roll back, until a rollback of it succeeded: then it names that run.
 * Applies known only from the target database's run records (the `dataflow` CLI, another machine)
 * are listed too, saying who ran them where, with Roll back but nothing to open.
 * Fleet runs follow, each with its targets' results (FleetRuns).
 */
import { useEffect } from 'react';
import type { RunSummary } from '../../shared/ipc.ts';
import { rollbackName, rolledBackRun } from '../../shared/run-state.ts';
import { formatDateTime, formatDuration, plural } from './format.ts';
import './panels.css';
import { FleetRuns } from '../fleet/FleetRuns.tsx';

export interface HistoryPanelProps {
  /** Past runs as `history.list` returns them. */
  runs: readonly RunSummary[];
  /** Opens a run (the shell loads it with `history.get`). */
  onOpen: (runId: string) => void;
  /** Resumes an apply that stopped part-way (offered on the runs that can be). */
  onResume?: (run: RunSummary) => void;
  /** Rolls an apply back from its record (offered on the applies that changed something). */
  onRollback?: (run: RunSummary) => void;
  /** Reads the list again (also when the panel opens): runs of the CLI or other machines land any time. */
  onRefresh?: () => void;
}

/** An apply that changed something: it can be rolled back from its record (the engine says when not). */
const reversible = (r: RunSummary) =>
  r.mode === 'apply' && (r.state === 'succeeded' || r.state === 'partially applied');

/** The badge colour of a run's state. */
const stateClass = (r: RunSummary) =>
  r.state === 'partially applied' || r.state === 'interrupted' ? 'partial' : r.status;

/** Who ran a run the editor knows from the database's record only, and where (once: `dba@build-7`). */
function recordedText({ appliedBy, host }: NonNullable<RunSummary['recordedBy']>): string {
  const where = host && !appliedBy?.endsWith(`@${host}`) ? ` on ${host}` : '';
  return `recorded on the database${appliedBy ? ` by ${appliedBy}` : ''}${where}`;
}

export function HistoryPanel({ runs, onOpen, onResume, onRollback, onRefresh }: HistoryPanelProps) {
  useEffect(() => onRefresh?.(), [onRefresh]);
  return (
    <section className="df-panel" data-testid="history-panel">
      <header className="df-panel-head">
        <h2>History</h2>
        <span className="df-muted">{plural(runs.length, 'run')}</span>
        {onRefresh && (
          <button
            type="button"
            data-testid="history-refresh"
            title="Read the runs again, with those the dataflow command or another machine recorded on the target database"
            onClick={onRefresh}
          >
            Refresh
          </button>
        )}
      </header>
      {runs.length === 0 ? (
        <p className="df-empty">No runs yet.</p>
      ) : (
        <table className="df-grid df-history">
          <thead>
            <tr>
              <th>status</th>
              <th>mode</th>
              <th>workflow</th>
              <th>connection</th>
              <th>started</th>
              <th>duration</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-testid={`history-run-${r.runId}`}>
                <td className="df-nowrap">
                  <span className={`df-badge df-status-${stateClass(r)}`}>{r.state}</span>
                </td>
                <td className="df-nowrap">{r.mode}</td>
                <td className="df-history-workflow" title={workflowTitle(r)}>
                  {workflowText(r.workflow)}
                </td>
                <td>{r.connection}</td>
                <td className="df-nowrap">{formatDateTime(r.startedAt)}</td>
                <td
                  className="df-nowrap"
                  title={
                    r.durationMs === null && r.state !== 'running' ? 'Its process died: no end was recorded' : undefined
                  }
                >
                  {r.durationMs !== null ? formatDuration(r.durationMs) : r.state === 'running' ? 'running' : '–'}
                </td>
                <td className="df-actions">
                  {r.recordedBy ? (
                    <span
                      className="df-muted df-recorded"
                      data-testid={`history-recorded-${r.runId}`}
                      title="Run by the dataflow command, another machine or a colleague: the editor keeps no result of it to open (dataflow runs shows its record)"
                    >
                      {recordedText(r.recordedBy)}
                    </span>
                  ) : (
                    <button type="button" data-testid={`history-open-${r.runId}`} onClick={() => onOpen(r.runId)}>
                      Open
                    </button>
                  )}
                  {r.continues && (
                    <span className="df-muted" data-testid={`history-continues-${r.runId}`}>
                      resumed run {r.continues.slice(0, 8)}
                    </span>
                  )}
                  {r.continuedBy && (
                    <span
                      className="df-muted"
                      data-testid={`history-continued-${r.runId}`}
                      title="This run stopped part-way; the run named continued it from its completed nodes"
                    >
                      continued by run {r.continuedBy.slice(0, 8)}
                    </span>
                  )}
                  {r.resumable && onResume && (
                    <button
                      type="button"
                      data-testid={`history-resume-${r.runId}`}
                      title={`Continue this apply on ${r.connection}: completed nodes are not run again`}
                      onClick={() => onResume(r)}
                    >
                      Resume
                    </button>
                  )}
                  {r.rolledBackBy !== null && (
                    <span className="df-muted" data-testid={`history-rolled-back-${r.runId}`}>
                      rolled back by run {r.rolledBackBy.slice(0, 8)}
                    </span>
                  )}
                  {r.rolledBackBy === null && reversible(r) && onRollback && (
                    <button
                      type="button"
                      data-testid={`history-rollback-${r.runId}`}
                      title={`Reverse what this apply did on ${r.connection}, from its record: preview the SQL, rehearse, apply`}
                      onClick={() => onRollback(r)}
                    >
                      Roll back…
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FleetRuns onOpen={onOpen} />
    </section>
  );
}

/** A workflow name as the History's column shows it: a rollback names the run it reverses by its short id. */
function workflowText(workflow: string): string {
  const reversed = rolledBackRun(workflow);
  return reversed === null ? workflow : rollbackName(reversed.slice(0, 8));
}

/** The workflow cell's tooltip: the whole name where the cell shortens it, and the file the run was started from. */
function workflowTitle(r: RunSummary): string | undefined {
  const lines = [workflowText(r.workflow) === r.workflow ? null : r.workflow, r.filePath].filter(Boolean);
  return lines.length > 0 ? lines.join('\n') : undefined;
}
