/**
 * Where a resumed run starts (docs/recovery.md): the recorded run to continue (the one named, or
 * the newest run of the workflow on the database, when it stopped part-way), the nodes it
 * completed, and the refusal when the workflow changed since (naming the nodes) unless forced.
 * Reads only.
 */
import type { EditedNode } from '../../shared/drift.ts';
import type { Workflow } from '../../shared/workflow.ts';
import type { Database } from '../db/connect.ts';
import { liveLockHolder, readLockRow } from '../db/migration-lock.ts';
import { reader } from '../db/migration-reader.ts';
import { listRuns, readRun, type RunRecord } from '../db/run-records.ts';
import { editedNodes } from './drift.ts';

/** A resume that cannot start: the message says why and what to do. */
export class ResumeRefused extends Error {
  override name = 'ResumeRefused';
}

/** Node statuses a resume does not run again: completed, or skipped by routing in the run. */
const DONE = new Set(['succeeded', 'skipped']);
/** Run states a resume continues. */
const STOPPED = new Set(['failed', 'cancelled', 'partially applied', 'interrupted']);

/** Whether a run recorded in this state stopped part-way, so that a resume may continue it. */
export function stoppedPartWay(state: string): boolean {
  return STOPPED.has(state);
}

async function runToResume(db: Database, workflow: Workflow, runId: string | undefined): Promise<RunRecord> {
  if (runId !== undefined) {
    const { run } = await readRun(db, runId).catch((e: unknown) => {
      throw new ResumeRefused(e instanceof Error ? e.message : String(e));
    });
    if (run.workflow !== workflow.name)
      throw new ResumeRefused(
        `run ${run.runId.slice(0, 8)} applied workflow "${run.workflow}", not "${workflow.name}"; resume it with that workflow`,
      );
    // A later run of the workflow here (a resume of this one, or a new apply) took over from it.
    const runs = await listRuns(db, 1000);
    const at = runs.findIndex((r) => r.runId === run.runId);
    const later = runs.slice(0, Math.max(0, at)).findLast((r) => r.workflow === workflow.name);
    if (later) {
      const next = later.runId.slice(0, 8);
      throw new ResumeRefused(
        `run ${run.runId.slice(0, 8)} of "${workflow.name}" was followed by run ${next} (${later.state}) on this database: ` +
          (STOPPED.has(later.state) ? `resume that one (--run ${next})` : 'there is nothing to resume'),
      );
    }
    return run;
  }
  const newest = (await listRuns(db, 1000)).find((r) => r.workflow === workflow.name);
  if (!newest)
    throw new ResumeRefused(
      `no run of workflow "${workflow.name}" is recorded on this database: there is nothing to resume`,
    );
  return newest;
}

/**
 * True when the database's migration lock row names run `runId` and no live session holds the
 * lock: that run died holding it, on this host or another (PostgreSQL: its session ended;
 * SQLite: the row expired, or names a dead pid of this host). A run releasing the lock deletes
 * the row.
 */
async function diedHoldingLock(db: Database, runId: string): Promise<boolean> {
  const row = await readLockRow(reader(db));
  return row?.runId === runId && (await liveLockHolder(db)) === null;
}

/** Which run a resume continues, and what the caller knows of it. */
export interface ResumeOptions {
  /** The run to continue; default the newest run of the workflow on the database. */
  runId?: string;
  /**
   * The caller found the database's migration lock held by no live session: a run still recorded
   * as running lost its process (on another machine too, where its pid cannot be checked), since
   * a run holds the lock for its whole length. Such a run is resumed as an interrupted one.
   */
  holderGone?: boolean;
}

/**
 * What a resume of the run would do: the run to continue, the nodes it completed (not run again)
 * and the nodes changed since it ran (`changed`: a resume refuses them unless forced). Throws
 * ResumeRefused when the run cannot be resumed at all (still running, succeeded, nothing left).
 */
export async function resumeCheck(
  db: Database,
  workflow: Workflow,
  options: ResumeOptions = {},
): Promise<{ run: RunRecord; done: string[]; changed: EditedNode[]; outputs: Record<string, unknown> }> {
  const run = await runToResume(db, workflow, options.runId);
  const id = run.runId.slice(0, 8);
  const gone = run.state === 'running' && (options.holderGone === true || (await diedHoldingLock(db, run.runId)));
  if (!STOPPED.has(run.state) && !gone)
    throw new ResumeRefused(
      run.state === 'running'
        ? `run ${id} of "${workflow.name}" is still running (process ${run.pid ?? '?'} on ${run.host ?? '?'}); wait for it, or cancel it`
        : `the last run of "${workflow.name}" on this database, ${id}, ${run.state}: there is nothing to resume`,
    );
  const { nodes } = await readRun(db, run.runId);
  const changed = editedNodes(nodes, workflow);
  const done = nodes
    .filter((n) => DONE.has(n.status) && workflow.nodes.some((w) => w.id === n.nodeId))
    .map((n) => n.nodeId);
  if (done.length === workflow.nodes.length)
    throw new ResumeRefused(`run ${id} completed every node of "${workflow.name}": there is nothing to resume`);
  const outputs = Object.fromEntries(
    nodes.filter((n) => done.includes(n.nodeId) && n.outputs !== null).map((n) => [n.nodeId, n.outputs]),
  );
  return { run, done, changed, outputs };
}

/**
 * Where a resume starts: the run to continue, the nodes it completed, and their recorded outputs
 * (`dataflow_run_outputs`, by node id), which the nodes after them read as `":name"` again.
 */
export interface ResumePoint {
  run: RunRecord;
  done: string[];
  outputs: Record<string, unknown>;
}

/** The run to continue, the nodes it completed and their outputs; throws ResumeRefused when it cannot be resumed. */
export async function resumePoint(
  db: Database,
  workflow: Workflow,
  options: ResumeOptions & { force?: boolean } = {},
): Promise<ResumePoint> {
  const { run, done, changed, outputs } = await resumeCheck(db, workflow, options);
  if (changed.length > 0 && !options.force)
    throw new ResumeRefused(
      `the workflow changed since run ${run.runId.slice(0, 8)}: ${changed.map((n) => `node "${n.node}" ${n.change}`).join(', ')}; ` +
        'resume anyway with --force (the changed nodes run as they are now), or run the workflow anew',
    );
  return { run, done, outputs };
}
