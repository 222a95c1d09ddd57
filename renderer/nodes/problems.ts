/** Param problems of a node, cached per params object so that 1,000 cards validate only what changed. */
import { validateParams, type WorkflowProblem } from '../../shared/workflow.ts';

const cache = new WeakMap<object, Map<string, WorkflowProblem[]>>();

export function paramProblems(id: string, type: string, params: Record<string, unknown>): WorkflowProblem[] {
  let byType = cache.get(params);
  if (!byType) cache.set(params, (byType = new Map()));
  const key = `${type}\u0000${id}`;
  let problems = byType.get(key);
  if (!problems) byType.set(key, (problems = validateParams({ id, type, params })));
  return problems;
}
