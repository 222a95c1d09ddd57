/**
 * The steps of a plan that lose data or structure, as the Apply confirmation lists them. Only the
 * planner knows which those are (`SqlStep.destructive`): a DROP in a plan is not always one. The
 * PostgreSQL safe SET NOT NULL drops the temporary CHECK it added two steps before, and a SQLite
 * rebuild drops the old table after copying every row into the new one; neither loses anything.
 */
import type { RunResult } from './run.ts';

/** A step that loses data or structure. */
export interface DestructiveStep {
  nodeId: string;
  sql: string;
  comment: string;
}

/** The planner-flagged destructive steps of `result`, in run order. */
export function destructiveSteps(result: RunResult): DestructiveStep[] {
  const steps: DestructiveStep[] = [];
  for (const nodeId of result.order)
    for (const step of result.nodes[nodeId]?.sql ?? [])
      if (step.destructive === true) steps.push({ nodeId, sql: step.sql, comment: step.comment });
  return steps;
}
