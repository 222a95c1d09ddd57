/**
 * Fleet runs in the app's history (store.db, docs/fleet.md): a row per fleet run (workflow,
 * options, status, why it stopped) and a row per target (wave, status, the run's id, error,
 * duration), written as the fleet goes so that a fleet cut short can be resumed. Each target's
 * own run is in the `runs` table like any run (AppStore.addRun), under the same run id.
 */
import type { FleetStatus, FleetSummary, FleetTargetRow, RunMatrix } from '../../shared/fleet.ts';
import { countStatuses } from '../fleet/matrix.ts';
import type { AppStore } from './store.ts';

export type { FleetSummary } from '../../shared/fleet.ts';

interface TargetRowRecord {
  label: string;
  connection: string;
  wave: number | null;
  status: FleetTargetRow['status'];
  run_id: string | null;
  error: string | null;
  started_at: string | null;
  duration_ms: number | null;
}

export class FleetHistory {
  constructor(private readonly store: AppStore) {}

  /** Records a fleet run starting (or, with the id of one recorded, starting again: resume) with its targets. */
  start(matrix: RunMatrix, filePath: string | null, options: unknown): void {
    const db = this.store.db;
    db.transaction(() => {
      db.prepare(
        `INSERT INTO fleet_runs (fleet_id, workflow, file_path, status, stop_reason, started_at, options) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fleet_id) DO UPDATE SET status = excluded.status, stop_reason = NULL, options = excluded.options`,
      ).run(matrix.fleetId, matrix.workflow, filePath, matrix.status, null, matrix.startedAt, JSON.stringify(options));
      matrix.targets.forEach((row, position) => this.put(matrix.fleetId, row, position));
    })();
  }

  /** Writes one target's row as it is now. */
  put(fleetId: string, row: FleetTargetRow, position?: number): void {
    this.store.db
      .prepare(
        `INSERT INTO fleet_targets (fleet_id, position, label, connection, wave, status, run_id, error, started_at, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (fleet_id, label) DO UPDATE SET connection = excluded.connection, wave = excluded.wave,
           status = excluded.status, run_id = excluded.run_id, error = excluded.error,
           started_at = excluded.started_at, duration_ms = excluded.duration_ms`,
      )
      .run(
        fleetId,
        position ?? 0,
        row.label,
        row.connection,
        row.wave,
        row.status,
        row.runId,
        row.error ? JSON.stringify(row.error) : null,
        row.startedAt,
        row.durationMs,
      );
  }

  finish(fleetId: string, status: FleetStatus, stopReason: string | null): void {
    this.store.db
      .prepare('UPDATE fleet_runs SET status = ?, stop_reason = ? WHERE fleet_id = ?')
      .run(status, stopReason, fleetId);
  }

  /** The fleet run whose id is `id` or starts with it (null: none, or more than one). */
  get(id: string): (RunMatrix & { filePath: string | null }) | null {
    const db = this.store.db;
    const runs = db
      .prepare(
        'SELECT fleet_id, workflow, file_path, status, stop_reason, started_at FROM fleet_runs WHERE substr(fleet_id, 1, length(?)) = ? LIMIT 2',
      )
      .all(id, id) as {
      fleet_id: string;
      workflow: string;
      file_path: string | null;
      status: FleetStatus;
      stop_reason: string | null;
      started_at: string;
    }[];
    if (runs.length !== 1) return null;
    const run = runs[0]!;
    const targets = (
      db
        .prepare(
          'SELECT label, connection, wave, status, run_id, error, started_at, duration_ms FROM fleet_targets WHERE fleet_id = ? ORDER BY position',
        )
        .all(run.fleet_id) as TargetRowRecord[]
    ).map((r): FleetTargetRow => ({
      label: r.label,
      connection: r.connection,
      wave: r.wave,
      status: r.status,
      runId: r.run_id,
      error: r.error ? (JSON.parse(r.error) as FleetTargetRow['error']) : null,
      startedAt: r.started_at,
      durationMs: r.duration_ms,
    }));
    return {
      kind: 'run',
      fleetId: run.fleet_id,
      workflow: run.workflow,
      filePath: run.file_path,
      startedAt: run.started_at,
      status: run.status,
      stopReason: run.stop_reason,
      targets,
      counts: countStatuses(targets),
    };
  }

  /** The newest fleet runs, optionally of one workflow file only. */
  list(limit: number, filePath?: string): FleetSummary[] {
    const rows = this.store.db
      .prepare(
        `SELECT f.fleet_id, f.workflow, f.file_path, f.status, f.stop_reason, f.started_at,
           (SELECT COUNT(*) FROM fleet_targets t WHERE t.fleet_id = f.fleet_id) AS targets,
           (SELECT COUNT(*) FROM fleet_targets t WHERE t.fleet_id = f.fleet_id AND t.status = 'succeeded') AS succeeded,
           (SELECT COUNT(*) FROM fleet_targets t WHERE t.fleet_id = f.fleet_id AND t.status IN ('failed', 'invalid')) AS failed
         FROM fleet_runs f WHERE ? IS NULL OR f.file_path = ? ORDER BY f.started_at DESC, f.rowid DESC LIMIT ?`,
      )
      .all(filePath ?? null, filePath ?? null, limit) as {
      fleet_id: string;
      workflow: string;
      file_path: string | null;
      status: FleetStatus;
      stop_reason: string | null;
      started_at: string;
      targets: number;
      succeeded: number;
      failed: number;
    }[];
    return rows.map((r) => ({
      fleetId: r.fleet_id,
      workflow: r.workflow,
      filePath: r.file_path,
      status: r.status,
      stopReason: r.stop_reason,
      startedAt: r.started_at,
      targets: r.targets,
      succeeded: r.succeeded,
      failed: r.failed,
    }));
  }
}
