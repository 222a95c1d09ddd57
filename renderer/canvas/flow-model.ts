/**
 * Document -> React Flow nodes and edges, keeping object identity for everything that did not
 * change: React Flow re-renders a node or edge only when its object changes, so a drag touches one
 * node and its edges, not the 1,000 others (React Flow's performance guide).
 */
import { Position, type Edge, type NodeHandle } from '@xyflow/react';
import type { WorkflowNode } from '../../shared/workflow.ts';
import { docEdges, type EdgeModel } from '../store/edges.ts';
import type { Doc } from '../store/doc.ts';
import type { NodeRun } from '../store/run-slice.ts';
import type { FlowNode, NodeData } from '../nodes/NodeCard.tsx';
import { inputPorts, outputPorts } from '../nodes/ports.tsx';

export type Dimensions = { width: number; height: number };

/**
 * From this many nodes the canvas draws only the cards in view (React Flow's
 * onlyRenderVisibleElements): a card scrolled into view is created then, and one scrolled out is
 * removed from the page. Smaller workflows keep every card in the page (find, the keyboard and
 * screen readers reach each one), which costs little at that size.
 */
export const DRAW_IN_VIEW_FROM = 300;

/**
 * The size a card not yet measured is given when only the cards in view are drawn: a light card's
 * (styles.css `.node-card.light`), half a pixel taller than any measured one, so React Flow measures
 * the card again (size and ports) the first time it is drawn. Without a size React Flow would draw
 * every card once to measure it, which is what drawing only those in view is meant to avoid.
 */
export const ESTIMATED_CARD: Dimensions = { width: 240, height: 74.5 };
const HANDLE = 9;

/** A card's ports where a light card has them: inputs at the middle of its left edge, outputs of its right. */
function estimatedHandles(n: WorkflowNode): NodeHandle[] {
  const y = ESTIMATED_CARD.height / 2 - HANDLE / 2;
  return [
    ...inputPorts(n.type).map((id): NodeHandle => ({
      id,
      type: 'target',
      position: Position.Left,
      x: -HANDLE / 2,
      y,
      width: HANDLE,
      height: HANDLE,
    })),
    ...outputPorts(n.type, n.params).map(({ handle: id }): NodeHandle => ({
      id,
      type: 'source',
      position: Position.Right,
      x: ESTIMATED_CARD.width - HANDLE / 2,
      y,
      width: HANDLE,
      height: HANDLE,
    })),
  ];
}

const dataCache = new WeakMap<object, NodeData>();
const nodeCache = new WeakMap<
  WorkflowNode,
  { selected: boolean; hidden: boolean; measured: Dimensions | undefined; estimate: boolean; flow: FlowNode }
>();

function dataOf(n: WorkflowNode): NodeData {
  const hit = dataCache.get(n.params);
  const disabled = n.disabled ?? false;
  if (hit && hit.type === n.type && hit.disabled === disabled) return hit;
  const data: NodeData = { type: n.type, params: n.params, disabled };
  dataCache.set(n.params, data);
  return data;
}

export function toFlowNodes(
  nodes: readonly WorkflowNode[],
  selected: ReadonlySet<string>,
  measured: ReadonlyMap<string, Dimensions>,
  /** Nodes of collapsed groups. */
  hidden: ReadonlySet<string> = new Set(),
  /** Only the cards in view are drawn: a card not yet measured gets an estimated size and ports. */
  inViewOnly = false,
): FlowNode[] {
  return nodes.map((n) => {
    const isSelected = selected.has(n.id);
    const isHidden = hidden.has(n.id);
    const dims = measured.get(n.id);
    const estimate = inViewOnly && !dims;
    const hit = nodeCache.get(n);
    if (
      hit &&
      hit.selected === isSelected &&
      hit.hidden === isHidden &&
      hit.measured === dims &&
      hit.estimate === estimate
    )
      return hit.flow;
    const flow: FlowNode = {
      id: n.id,
      type: 'workflow',
      position: n.position,
      data: dataOf(n),
      selected: isSelected,
      ...(isHidden ? { hidden: true } : {}),
      ...(dims ? { measured: dims } : {}),
      ...(estimate ? { measured: ESTIMATED_CARD, handles: estimatedHandles(n) } : {}),
    };
    nodeCache.set(n, { selected: isSelected, hidden: isHidden, measured: dims, estimate, flow });
    return flow;
  });
}

/**
 * The document's edge models, recomputed only when something they depend on changed (connections,
 * or a node's id, type or params): a drag moves positions only, and must not rebuild 1,000 edges.
 */
export function createEdgeModelCache() {
  let last: { doc: Doc; models: EdgeModel[] } | null = null;
  return (doc: Doc): EdgeModel[] => {
    if (last && last.doc.connections === doc.connections && sameStructure(last.doc.nodes, doc.nodes))
      return last.models;
    const models = docEdges(doc);
    // Typing in a param changes the params but rarely an edge: the same edges keep the same array,
    // so React Flow does not rebuild its edge lookups on every key.
    last = { doc, models: last && sameEdges(last.models, models) ? last.models : models };
    return last.models;
  };
}

function sameEdges(a: readonly EdgeModel[], b: readonly EdgeModel[]): boolean {
  return (
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return (
        x.id === y.id &&
        x.source === y.source &&
        x.sourceHandle === y.sourceHandle &&
        x.target === y.target &&
        x.targetHandle === y.targetHandle &&
        x.label === y.label &&
        x.route?.value === y.route?.value &&
        (x.route === null) === (y.route === null) &&
        x.connections.join('\n') === y.connections.join('\n')
      );
    })
  );
}

function sameStructure(a: readonly WorkflowNode[], b: readonly WorkflowNode[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x !== y && (x.id !== y.id || x.type !== y.type || x.params !== y.params)) return false;
  }
  return true;
}

/** How an edge looks after a run: taken (both ends ran) or not taken (its target was skipped). */
export function edgeRunClass(e: EdgeModel, run: Readonly<Record<string, NodeRun>>): string {
  const s = run[e.source]?.status;
  const t = run[e.target]?.status;
  if (!s || !t) return e.route ? 'edge-route' : '';
  const base = e.route ? 'edge-route ' : '';
  if (t === 'skipped') return `${base}edge-skipped`;
  if (s === 'succeeded' && (t === 'succeeded' || t === 'running' || t === 'failed')) return `${base}edge-taken`;
  return base.trim();
}

export function createEdgeCache() {
  const cache = new Map<string, Edge>();
  return (
    models: readonly EdgeModel[],
    selected: ReadonlySet<string>,
    run: Readonly<Record<string, NodeRun>>,
  ): Edge[] => {
    const seen = new Set<string>();
    const edges = models.map((e) => {
      seen.add(e.id);
      const className = edgeRunClass(e, run);
      const isSelected = selected.has(e.id);
      const hit = cache.get(e.id);
      if (
        hit &&
        hit.source === e.source &&
        hit.target === e.target &&
        hit.sourceHandle === e.sourceHandle &&
        hit.targetHandle === e.targetHandle &&
        hit.label === (e.label ?? undefined) &&
        hit.className === className &&
        hit.selected === isSelected
      )
        return hit;
      const edge: Edge = {
        id: e.id,
        source: e.source,
        target: e.target,
        sourceHandle: e.sourceHandle,
        targetHandle: e.targetHandle,
        className,
        selected: isSelected,
        ...(e.label ? { label: e.label, labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 3 } : {}),
      };
      cache.set(e.id, edge);
      return edge;
    });
    for (const id of cache.keys()) if (!seen.has(id)) cache.delete(id);
    return edges;
  };
}
