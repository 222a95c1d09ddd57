/**
 * Fleet runs in History (store.db's fleet history, `fleet.list` / `fleet.get`): one line per
 * fleet run with its status and counts; opening one lists its targets with their wave, status,
 * duration and error, each target's run opened like any run of History.
 */
import { useEffect, useState } from 'react';
import { api, errorMessage } from '../api/index.ts';
import type { FleetSummary, RunMatrix } from '../../shared/fleet.ts';
import { formatDateTime, formatDuration } from '../panels/format.ts';
import { useFleet } from './fleet-store.ts';

export function FleetRuns({ onOpen }: { onOpen: (runId: string) => void }) {
  const [fleets, setFleets] = useState<FleetSummary[]>([]);
  const [open, setOpen] = useState<RunMatrix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = useFleet((s) => (s.run && s.run.status !== 'running' ? s.run.fleetId : null));
  useEffect(() => {
    api()
      .invoke('fleet.list', {})
      .then(setFleets, (e: unknown) => setError(errorMessage(e)));
  }, [ended]);
  if (error) return <p className="fleet-error">Fleet runs: {error}</p>;
  if (fleets.length === 0) return null;
  const show = (id: string) =>
    open?.fleetId === id
      ? setOpen(null)
      : void api()
          .invoke('fleet.get', { fleetId: id })
          .then(setOpen, (e: unknown) => setError(errorMessage(e)));
  return (
    <div data-testid="history-fleets">
      <h3 className="fleet-subhead">Fleet runs</h3>
      <table className="df-grid df-history">
        <thead>
          <tr>
            <th>status</th>
            <th>workflow</th>
            <th>targets</th>
            <th>started</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {fleets.map((f) => (
            <tr key={f.fleetId} data-testid={`history-fleet-${f.fleetId}`}>
              <td>
                <span className={`fleet-status fleet-fleet-${f.status}`}>{f.status}</span>
              </td>
              <td title={f.filePath ?? undefined}>{f.workflow}</td>
              <td>
                {f.targets}: {f.succeeded} succeeded, {f.failed} failed
                {f.stopReason ? ` (${f.stopReason})` : ''}
              </td>
              <td>{formatDateTime(f.startedAt)}</td>
              <td className="df-actions">
                <button type="button" data-testid={`history-fleet-open-${f.fleetId}`} onClick={() => show(f.fleetId)}>
                  {open?.fleetId === f.fleetId ? 'Hide targets' : 'Targets'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && (
        <table className="df-grid df-history fleet-history-targets" data-testid="history-fleet-targets">
          <thead>
            <tr>
              <th>target</th>
              <th>wave</th>
              <th>status</th>
              <th>duration</th>
              <th>error</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {open.targets.map((t) => (
              <tr key={t.label} data-testid={`history-fleet-target-${t.label}`}>
                <td>{t.label}</td>
                <td>{t.wave === null ? '' : t.wave === 0 ? 'canary' : t.wave}</td>
                <td>
                  <span className={`fleet-status fleet-run-${t.status}`}>{t.status}</span>
                </td>
                <td>{t.durationMs === null ? '' : formatDuration(t.durationMs)}</td>
                <td className="fleet-error">{t.error?.message ?? ''}</td>
                <td className="df-actions">
                  {t.runId && (
                    <button type="button" onClick={() => onOpen(t.runId!)}>
                      Open
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
