/**
 * What a retried job finds on its target: the run an earlier attempt started there (its id is in
 * the fleet records before the run starts), read from the target's own run records and migration
 * lock. This is what makes a retry after a dead worker safe: a run that completed is not applied
 * again, a run that stopped part-way is resumed (its completed nodes are not run again), a run
 * that may still be going is waited for. A run recorded as running whose migration lock no live
 * session holds lost its process, on this machine or another (PostgreSQL: the lock's session
 * ended with it; SQLite: the lock row expired, or names a dead pid of this host): it is resumed.
 */
import type { Workflow } from '../../../shared/workflow.ts';
import type { Database } from '../../db/connect.ts';
import { liveLockHolder } from '../../db/migration-lock.ts';
import { readRun, RunNotFoundError } from '../../db/run-records.ts';
import { resumePoint, ResumeRefused } from '../../engine/resume.ts';

export type PriorRun =
  /** No run of that id is recorded: the earlier attempt stopped before its run wrote its record. */
  | { kind: 'none' }
  /** The run completed: the target is applied. */
  | { kind: 'applied'; runId: string; startedAt: string }
  /** The run ended failed: that is the target's outcome. */
  | { kind: 'failed'; runId: string; message: string }
  /**
   * The run stopped part-way (its process died, or it was cancelled): continue it, from its
   * completed nodes and their outputs; `gone` names the process that died holding it, when the
   * record still said running.
   */
  | { kind: 'resume'; runId: string; done: string[]; outputs: Record<string, unknown>; gone: string | null }
  /** A run may still be going on the target (its migration lock is held): try later. */
  | { kind: 'busy'; message: string };

/** Reads what became of run `runId` of `workflow` on the target `label`. */
export async function priorRun(db: Database, label: string, workflow: Workflow, runId: string): Promise<PriorRun> {
  let run;
  try {
    ({ run } = await readRun(db, runId));
  } catch (e) {
    if (e instanceof RunNotFoundError) return { kind: 'none' };
    throw e;
  }
  const id = run.runId.slice(0, 8);
  if (run.state === 'succeeded') return { kind: 'applied', runId: run.runId, startedAt: run.startedAt };
  const holder = await liveLockHolder(db);
  if (holder)
    return {
      kind: 'busy',
      message: `${label}: the migration lock is held by run ${holder.runId.slice(0, 8)} (pid ${holder.pid ?? '?'} on ${holder.host ?? '?'}); the job tries again later`,
    };
  // A run closed by the resume that continued it is stored failed too; that resume is the one to read.
  if (run.status === 'failed' && run.continuedBy === null)
    return { kind: 'failed', runId: run.runId, message: `${label}: ${run.error ?? 'the run failed'}` };
  const gone = run.state === 'running' ? `pid ${run.pid ?? '?'} on ${run.host ?? '?'}` : null;
  try {
    const point = await resumePoint(db, workflow, { runId: run.runId, holderGone: true });
    return { kind: 'resume', runId: point.run.runId, done: point.done, outputs: point.outputs, gone };
  } catch (e) {
    if (e instanceof ResumeRefused)
      return { kind: 'failed', runId: run.runId, message: `${label}: cannot resume run ${id}: ${e.message}` };
    throw e;
  }
}
