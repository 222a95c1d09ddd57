/**
 * History panel: past runs, newest as given first; opening one shows it on the canvas and in the
 * panels. An apply that stopped part-way reads `partially applied` and offers Resume; an apply
 * that changed something offers Roll back, until a rollback of it succeeded: then it names that run.
 */
import type { RunSummary } from '../../shared/ipc.ts';
import { formatDateTime, formatDuration, plural } from './format.ts';
import './panels.css';

export interface HistoryPanelProps {
  /** Past runs as `history.list` returns them. */
  runs: readonly RunSummary[];
  /** Opens a run (the shell loads it with `history.get`). */
  onOpen: (runId: string) => void;
  /** Resumes an apply that stopped part-way (offered on the runs that can be). */
  onResume?: (run: RunSummary) => void;
  /** Rolls an apply back from its record (offered on the applies that changed something). */
  onRollback?: (run: RunSummary) => void;
}

/** An apply that changed something: it can be rolled back from its record (the engine says when not). */
const reversible = (r: RunSummary) =>
  r.mode === 'apply' && (r.state === 'succeeded' || r.state === 'partially applied');

export function HistoryPanel({ runs, onOpen, onResume, onRollback }: HistoryPanelProps) {
  return (
    <section className="df-panel" data-testid="history-panel">
      <header className="df-panel-head">
        <h2>History</h2>
        <span className="df-muted">{plural(runs.length, 'run')}</span>
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
                <td>
                  <span className={`df-badge df-status-${r.state === 'partially applied' ? 'partial' : r.status}`}>
                    {r.state}
                  </span>
                </td>
                <td>{r.mode}</td>
                <td title={r.filePath ?? undefined}>{r.workflow}</td>
                <td>{r.connection}</td>
                <td>{formatDateTime(r.startedAt)}</td>
                <td>{formatDuration(r.durationMs)}</td>
                <td className="df-actions">
                  <button type="button" data-testid={`history-open-${r.runId}`} onClick={() => onOpen(r.runId)}>
                    Open
                  </button>
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
    </section>
  );
}
