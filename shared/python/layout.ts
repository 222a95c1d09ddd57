/**
 * A simple layered layout for imported and generated workflows: x by topological depth (longest
 * path over connections and Switch routes), y by the node's index within its layer.
 */
import { orderingEdges, type Workflow } from '../workflow.ts';

export const LAYER_GAP_X = 300;
export const ROW_GAP_Y = 160;

/** Returns the workflow with every node's position set by the layered layout. */
export function layoutWorkflow(wf: Workflow): Workflow {
  const ids = new Set(wf.nodes.map((n) => n.id));
  const next = new Map<string, string[]>();
  const indegree = new Map<string, number>([...ids].map((id) => [id, 0]));
  for (const e of orderingEdges(wf)) {
    if (!ids.has(e.source) || !ids.has(e.target) || e.source === e.target) continue;
    next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
    indegree.set(e.target, indegree.get(e.target)! + 1);
  }
  const depth = new Map<string, number>();
  const queue = wf.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const t of next.get(id) ?? []) {
      depth.set(t, Math.max(depth.get(t) ?? 0, depth.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  const rows = new Map<number, number>();
  const nodes = wf.nodes.map((n) => {
    const d = depth.get(n.id) ?? 0;
    const row = rows.get(d) ?? 0;
    rows.set(d, row + 1);
    return { ...n, position: { x: d * LAYER_GAP_X, y: row * ROW_GAP_Y } };
  });
  return { ...wf, nodes };
}
