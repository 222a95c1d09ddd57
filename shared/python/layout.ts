/**
 * The layered layout of imported and generated workflows (the importer, `dataflow models`, the
 * guide's example files). Pure and synchronous, so the editor and the CLI lay out alike:
 * - graph edges are the connections plus Switch routes (drawn or not);
 * - each connected group of nodes is laid out left to right, x by topological depth (the longest
 *   path from a node with no incoming edge), siblings of a layer one row apart, ordered by the
 *   rows of the nodes that feed them (fewer crossings), ties in file order; groups are stacked
 *   top to bottom in the order of their first node in the file;
 * - nodes with no edge at all go on one row below, left to right in file order (their run order).
 */
import { orderingEdges, type Workflow } from '../workflow.ts';

export const LAYER_GAP_X = 300;
export const ROW_GAP_Y = 160;

/** Returns the workflow with every node's position set by the layered layout. */
export function layoutWorkflow(wf: Workflow): Workflow {
  const index = new Map(wf.nodes.map((n, i) => [n.id, i]));
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  const seen = new Set<string>();
  for (const e of orderingEdges(wf)) {
    const key = `${e.source}\u0000${e.target}`;
    if (!index.has(e.source) || !index.has(e.target) || e.source === e.target || seen.has(key)) continue;
    seen.add(key);
    next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
    prev.set(e.target, [...(prev.get(e.target) ?? []), e.source]);
  }
  const depth = depths(
    wf.nodes.map((n) => n.id),
    next,
    prev,
  );

  const group = new Map<string, string>();
  const find = (id: string): string => {
    const parent = group.get(id) ?? id;
    if (parent === id) return id;
    const root = find(parent);
    group.set(id, root);
    return root;
  };
  for (const [source, targets] of next) for (const t of targets) group.set(find(t), find(source));

  const position = new Map<string, { x: number; y: number }>();
  const byIndex = (a: string, b: string) => index.get(a)! - index.get(b)!;
  const groups = new Map<string, string[]>();
  for (const n of wf.nodes) {
    if (!next.has(n.id) && !prev.has(n.id)) continue;
    const root = find(n.id);
    groups.set(root, [...(groups.get(root) ?? []), n.id]);
  }
  let top = 0;
  for (const members of groups.values()) {
    const layers: string[][] = [];
    for (const id of members) (layers[depth.get(id)!] ??= []).push(id);
    const row = new Map<string, number>();
    let height = 0;
    for (const [d, layer = []] of layers.entries()) {
      const centre = (id: string) => {
        const rows = (prev.get(id) ?? []).map((p) => row.get(p)).filter((r) => r !== undefined);
        return rows.length === 0 ? Number.POSITIVE_INFINITY : rows.reduce((a, b) => a + b, 0) / rows.length;
      };
      const ordered =
        d === 0 ? [...layer].sort(byIndex) : [...layer].sort((a, b) => centre(a) - centre(b) || byIndex(a, b));
      ordered.forEach((id, r) => {
        row.set(id, r);
        position.set(id, { x: d * LAYER_GAP_X, y: top + r * ROW_GAP_Y });
      });
      height = Math.max(height, ordered.length);
    }
    top += height * ROW_GAP_Y;
  }
  let column = 0;
  for (const n of wf.nodes) if (!position.has(n.id)) position.set(n.id, { x: column++ * LAYER_GAP_X, y: top });
  return { ...wf, nodes: wf.nodes.map((n) => ({ ...n, position: position.get(n.id)! })) };
}

/**
 * Longest-path depth of every node (Kahn's order). Nodes on a cycle (an invalid workflow, laid out
 * anyway) get one more than their deepest placed predecessor, in file order.
 */
function depths(ids: string[], next: Map<string, string[]>, prev: Map<string, string[]>): Map<string, number> {
  const indegree = new Map(ids.map((id) => [id, prev.get(id)?.length ?? 0]));
  const depth = new Map<string, number>();
  const queue = ids.filter((id) => indegree.get(id) === 0);
  for (const id of queue) depth.set(id, 0);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const t of next.get(id) ?? []) {
      depth.set(t, Math.max(depth.get(t) ?? 0, depth.get(id)! + 1));
      indegree.set(t, indegree.get(t)! - 1);
      if (indegree.get(t) === 0) queue.push(t);
    }
  }
  for (const id of ids) {
    if (indegree.get(id) === 0) continue;
    const placed = (prev.get(id) ?? [])
      .map((p) => (indegree.get(p) === 0 ? depth.get(p) : undefined))
      .filter((d) => d !== undefined);
    depth.set(id, placed.length === 0 ? 0 : Math.max(...placed) + 1);
    indegree.set(id, 0);
  }
  return depth;
}
