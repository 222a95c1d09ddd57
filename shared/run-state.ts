/**
 * How run listings (the editor's Run panel and History, like `dataflow runs`) name a run, and
 * whether the editor offers to resume it (docs/recovery.md).
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
