/**
 * The History of one connection (`history.list` with a connectionId): the editor's runs from its
 * store, and the applies known only from the database's own run records (`dataflow_runs`): runs
 * and rollbacks of the `dataflow` CLI, of another machine or of a colleague. Which run rolled
 * which back is worked out over both (shared/run-state.ts `rollbacksOf`), so a rollback run from
 * the CLI shows on the editor's run as well. Each run the records know carries their links
 * between a resume and the run it continued. A recorded run that stopped part-way can be resumed
 * from the History like the editor's own, with its workflow open (electron/engine/resume.ts reads
 * what it completed from the records).
 */
import type { RunSummary } from '../../shared/ipc.ts';
import { rollbacksOf, rolledBackRun } from '../../shared/run-state.ts';
import { stoppedPartWay } from '../engine/resume.ts';
import type { RunRecord } from '../db/run-records.ts';

/**
 * `editor` (the store's newest runs) with the `records` of the database of `connection` that the
 * editor did not run, newest first, at most `limit`.
 */
export function withDatabaseRuns(
  editor: readonly RunSummary[],
  records: readonly RunRecord[],
  connection: { id: string; name: string },
  limit: number,
): RunSummary[] {
  const known = new Set(editor.map((r) => r.runId));
  const links = new Map(records.map((r) => [r.runId, { continuedBy: r.continuedBy, continues: r.continues }]));
  // A resume continues the newest run of its workflow on the database (a later one took over).
  const newest = new Map<string, string>();
  for (const r of [...records].sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt)))
    if (!newest.has(r.workflow)) newest.set(r.workflow, r.runId);
  const recorded = records
    .filter((r) => !known.has(r.runId))
    .map((r): RunSummary => ({
      runId: r.runId,
      workflow: r.workflow,
      mode: 'apply',
      connection: connection.name,
      status: r.status,
      startedAt: r.startedAt,
      durationMs: r.finishedAt === null ? null : Date.parse(r.finishedAt) - Date.parse(r.startedAt),
      filePath: null,
      connectionId: connection.id,
      state: r.state,
      // A rollback's workflow is made from the run it reverses: it is not a file to open and resume.
      resumable: stoppedPartWay(r.state) && newest.get(r.workflow) === r.runId && rolledBackRun(r.workflow) === null,
      rolledBackBy: null,
      recordedBy: { appliedBy: r.appliedBy, host: r.host },
    }));
  const runs = [...editor, ...recorded]
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))
    .slice(0, limit);
  const rollbacks = rollbacksOf(runs.filter((r) => r.mode === 'apply'));
  return runs.map((r) => ({
    ...r,
    ...links.get(r.runId),
    // A run another one continued is resumed already: resuming it again is refused.
    resumable: r.resumable && !links.get(r.runId)?.continuedBy,
    rolledBackBy: rollbacks.get(r.runId)?.runId ?? r.rolledBackBy,
  }));
}
