/**
 * `dataflow fleet status`: an enqueued fleet as the run matrix of a local fleet run (matrix.ts),
 * read from the fleet records of the queue. Reads only.
 */
import { countStatuses, type FleetStatus, type FleetTargetRow, type RunMatrix } from '../matrix.ts';
import type { TargetOutcome } from '../run-target.ts';
import type { FleetTarget } from '../targets.ts';
import { queuePool } from './connection.ts';
import { findFleets, fleetTablesExist, readTargets, type QueueFleet, type QueueTarget } from './records.ts';

/** No fleet matches what was asked: the message says what to give instead. */
export class FleetNotFound extends Error {
  override name = 'FleetNotFound';
}

const STATUS: Record<QueueTarget['status'], FleetTargetRow['status']> = {
  queued: 'pending',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  skipped: 'skipped',
  invalid: 'invalid',
};

function targetRow(t: QueueTarget): FleetTargetRow {
  const outcome = t.outcome === null ? null : (JSON.parse(t.outcome) as TargetOutcome);
  const status = STATUS[t.status];
  const ended = t.finishedAt && t.startedAt ? Date.parse(t.finishedAt) - Date.parse(t.startedAt) : null;
  return {
    label: t.label,
    connection: status === 'invalid' ? '-' : (JSON.parse(t.target) as FleetTarget).connectionLabel,
    wave: t.wave,
    status,
    runId: outcome?.runId ?? t.runId,
    error:
      outcome?.error ??
      (status === 'invalid' && t.error !== null ? { kind: 'invalid', message: `${t.label}: ${t.error}` } : null),
    startedAt: outcome?.startedAt ?? t.startedAt,
    durationMs:
      outcome?.durationMs ?? (status === 'running' && t.startedAt ? Date.now() - Date.parse(t.startedAt) : ended),
  };
}

/**
 * The fleet's matrix, its status as a local fleet run's (waves.ts): running while a target waits
 * or runs; then stopped (when the stop skipped a target), failed (a target failed or is invalid)
 * or succeeded.
 */
export function queueMatrix(fleet: QueueFleet, targets: readonly QueueTarget[]): RunMatrix {
  const rows = targets.map(targetRow);
  const counts = countStatuses(rows);
  const stopped = fleet.stopped !== null && counts.skipped > 0;
  const status: FleetStatus =
    counts.pending + counts.running > 0
      ? 'running'
      : stopped
        ? 'stopped'
        : counts.failed + counts.invalid > 0
          ? 'failed'
          : 'succeeded';
  return {
    kind: 'run',
    fleetId: fleet.fleetId,
    workflow: fleet.workflowName,
    startedAt: fleet.createdAt,
    status,
    stopReason: stopped ? fleet.stopped : null,
    targets: rows,
    counts,
  };
}

/**
 * The matrix of the fleet whose id is `idPrefix` or starts with it, or of the newest fleet when it
 * is undefined. The fleet row and its targets are read in one snapshot: a worker stops a fleet and
 * skips its queued targets in one transaction, and two separate reads could see the skipped
 * targets without the fleet's stop (and call a stopped fleet failed).
 */
export async function readFleetStatus(queueUrl: string, idPrefix: string | undefined): Promise<RunMatrix> {
  const pool = queuePool(queueUrl, 1);
  const client = await pool.connect().catch(async (e: unknown) => {
    await pool.end();
    throw e;
  });
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (!(await fleetTablesExist(client)))
      throw new FleetNotFound('no fleet was ever enqueued on this queue (dataflow fleet enqueue puts one there)');
    const found = await findFleets(client, idPrefix ?? '', idPrefix === undefined ? 1 : 2);
    if (found.length === 0)
      throw new FleetNotFound(
        idPrefix === undefined
          ? 'no fleet is enqueued on this queue'
          : `no fleet ${idPrefix} on this queue: give the id enqueue printed (or its start)`,
      );
    if (found.length > 1) throw new FleetNotFound(`"${idPrefix}" starts more than one fleet id; give more of it`);
    const fleet = found[0]!;
    return queueMatrix(fleet, await readTargets(client, fleet.fleetId));
  } finally {
    await client.query('ROLLBACK').catch(() => {});
    client.release();
    await pool.end();
  }
}
