/**
 * How run listings (the editor's Run panel and History, like `dataflow runs`) name a run, whether
 * the editor offers to resume it, and which run rolled it back (docs/recovery.md).
 */
import type { NodeResult, RunResult, RunStatus } from './run.ts';

/** A run's status, except `partially applied`: an apply that stopped part-way after a node changed something. */
export type RunState = RunStatus | 'partially applied';

/** The node changed the database: it succeeded having executed at least one statement. */
export function nodeApplied(node: NodeResult): boolean {
  return node.status === 'succeeded' && node.sql.some((s) => !s.notRun);
}

export function runState(result: Pick<RunResult, 'mode' | 'status' | 'nodes'>): RunState {
  if (result.mode === 'apply' && result.status !== 'succeeded' && Object.values(result.nodes).some(nodeApplied))
    return 'partially applied';
  return result.status;
}

/**
 * An apply that stopped in its nodes (failed or cancelled), so its run record on the database
 * says where: Resume continues it. An apply refused before it started (drift, the safety review,
 * the preflight plan, the migration lock) ran no node: its nodes have no recorded schema.
 */
export function resumable(result: Pick<RunResult, 'mode' | 'status' | 'nodes'>): boolean {
  return (
    result.mode === 'apply' &&
    result.status !== 'succeeded' &&
    Object.values(result.nodes).some((n) => n.schemaBefore !== undefined)
  );
}

const ROLLBACK_NAME = /^rollback of run ([0-9a-f-]{36})$/;

/** The name of the rollback workflow of run `runId` (electron/engine/rollback.ts builds it). */
export function rollbackName(runId: string): string {
  return `rollback of run ${runId}`;
}

/** The run a rollback workflow name reverses, or null for any other workflow name. */
export function rolledBackRun(workflowName: string): string | null {
  return ROLLBACK_NAME.exec(workflowName)?.[1] ?? null;
}

/** A recorded apply as far as rollbacks go: its id, workflow name, status and start. */
export interface AppliedRun {
  runId: string;
  workflow: string;
  status: string;
  startedAt: string;
}

/**
 * Which run rolled each run back: by run id, the first rollback of it that succeeded (its id and
 * start). `applies`: applies only (a rehearsed rollback undoes nothing), in any order.
 */
export function rollbacksOf(applies: readonly AppliedRun[]): Map<string, { runId: string; startedAt: string }> {
  const by = new Map<string, { runId: string; startedAt: string }>();
  for (const r of [...applies].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))) {
    const target = rolledBackRun(r.workflow);
    if (target !== null && r.status === 'succeeded' && !by.has(target))
      by.set(target, { runId: r.runId, startedAt: r.startedAt });
  }
  return by;
}
