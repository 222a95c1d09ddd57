/** Automatic layout with elkjs (layered, left to right), loaded on first use. */
import type { ELK, ElkNode } from 'elkjs/lib/elk-api.js';
import type { Doc, Position } from '../store/doc.ts';
import { docEdges } from '../store/edges.ts';

const DEFAULT_SIZE = { width: 240, height: 110 };

/** New positions for every node of the document. */
export async function layoutPositions(
  doc: Doc,
  sizes: ReadonlyMap<string, { width: number; height: number }>,
): Promise<Map<string, Position>> {
  // The bundle is CommonJS and sets `ELK.default = ELK`, so this is the constructor under every interop.
  const mod = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default: { default: new () => ELK } };
  const elk = new mod.default.default();
  const ids = new Set(doc.nodes.map((n) => n.id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '80',
      'elk.spacing.nodeNode': '40',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
    },
    children: doc.nodes.map((n) => ({ id: n.id, ...(sizes.get(n.id) ?? DEFAULT_SIZE) })),
    edges: docEdges(doc)
      .filter((e) => ids.has(e.source) && ids.has(e.target))
      .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const laid = await elk.layout(graph);
  return new Map(
    (laid.children ?? []).map((c: ElkNode) => [c.id, { x: Math.round(c.x ?? 0), y: Math.round(c.y ?? 0) }]),
  );
}
