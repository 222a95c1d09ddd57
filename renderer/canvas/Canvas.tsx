/**
 * The React Flow canvas over the document: drag types in from the palette, connect with
 * validation, select, box-select (Shift+drag), move (one undo step per drag), minimap, zoom
 * controls, snap to grid. Deleting and the other shortcuts go through the command table.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, ControlButton, Controls, MiniMap, ReactFlow, useReactFlow, useStore as useFlowStore,
  type Connection as FlowConnection, type EdgeChange, type IsValidConnection, type NodeChange,
} from '@xyflow/react';
import { useApp } from '../store/index.ts';
import { linkFromHandles } from '../store/edges.ts';
import { linkProblem, type Position } from '../store/doc.ts';
import { NodeCard, type FlowNode } from '../nodes/NodeCard.tsx';
import { createEdgeCache, createEdgeModelCache, toFlowNodes, type Dimensions } from './flow-model.ts';
import { attachViewport } from './viewport.ts';

export const PALETTE_MIME = 'application/x-dataflow-node';

const nodeTypes = { workflow: NodeCard };
const SNAP: [number, number] = [20, 20];
const PROBE_CASE = '\u0000';
/** Below this zoom the cards' text is too small to read: it is not drawn (the cards, icons, colours and edges are). */
export const FAR_ZOOM = 0.35;

function applySelection(current: readonly string[], changes: readonly { id: string; selected: boolean }[]): string[] {
  const set = new Set(current);
  for (const c of changes) {
    if (c.selected) set.add(c.id);
    else set.delete(c.id);
  }
  return [...set];
}

export function Canvas() {
  const doc = useApp((s) => s.doc);
  const selection = useApp((s) => s.selection);
  const runNodes = useApp((s) => s.run.nodes);
  const snapToGrid = useApp((s) => s.snapToGrid);
  const showMinimap = useApp((s) => s.showMinimap);
  const flow = useReactFlow<FlowNode>();
  const far = useFlowStore((s) => s.transform[2] < FAR_ZOOM);
  const wrapper = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Dimensions>>(() => new Map());
  const edgeCache = useMemo(() => createEdgeCache(), []);
  const edgeModelCache = useMemo(() => createEdgeModelCache(), []);

  useEffect(() => {
    attachViewport(flow, wrapper.current);
    // Fit a document loaded before the canvas mounted; an empty canvas keeps zoom 1 (fitting the
    // first dropped node would blow it up).
    if (useApp.getState().doc.nodes.length > 0) void flow.fitView({ padding: 0.2 });
    return () => attachViewport(null, null);
  }, [flow]);

  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);
  const nodes = useMemo(() => toFlowNodes(doc.nodes, selectedNodes, measured), [doc.nodes, selectedNodes, measured]);
  const edgeModels = edgeModelCache(doc);
  const edges = useMemo(() => edgeCache(edgeModels, selectedEdges, runNodes), [edgeCache, edgeModels, selectedEdges, runNodes]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => {
    const s = useApp.getState();
    const positions = new Map<string, Position>();
    const selects: { id: string; selected: boolean }[] = [];
    let dims: Map<string, Dimensions> | null = null;
    for (const c of changes) {
      if (c.type === 'position' && c.position) positions.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
      else if (c.type === 'select') selects.push(c);
      else if (c.type === 'dimensions' && c.dimensions) (dims ??= new Map()).set(c.id, c.dimensions);
    }
    if (positions.size > 0) s.moveNodes(positions);
    if (selects.length > 0) s.select({ nodes: applySelection(s.selection.nodes, selects), edges: s.selection.edges });
    if (dims) {
      const update = dims;
      setMeasured((prev) => {
        const next = new Map(prev);
        for (const [id, d] of update) next.set(id, d);
        return next;
      });
    }
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const selects = changes.filter((c): c is Extract<EdgeChange, { type: 'select' }> => c.type === 'select');
    if (selects.length === 0) return;
    const s = useApp.getState();
    s.select({ nodes: s.selection.nodes, edges: applySelection(s.selection.edges, selects) });
  }, []);

  const onConnect = useCallback((c: FlowConnection) => {
    const s = useApp.getState();
    const link = linkFromHandles(c.source, c.sourceHandle ?? null, c.target, c.targetHandle ?? null);
    if (!link) {
      s.openDialog({ kind: 'newCase', source: c.source, target: c.target });
      return;
    }
    const problem = s.link(link);
    if (problem) s.notify({ level: 'error', text: `Cannot connect ${c.source} to ${c.target}: ${problem}` });
  }, []);

  const isValidConnection = useCallback<IsValidConnection>((c) => {
    const link = linkFromHandles(c.source, c.sourceHandle ?? null, c.target, c.targetHandle ?? null, PROBE_CASE);
    return link !== null && linkProblem(useApp.getState().doc, link) === null;
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(PALETTE_MIME);
    if (!type) return;
    e.preventDefault();
    const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    useApp.getState().addNode(type, { x: p.x - 110, y: p.y - 30 });
  }, [flow]);

  const beginDrag = useCallback(() => useApp.getState().beginDrag(), []);
  const endDrag = useCallback(() => useApp.getState().endDrag(), []);

  return (
    <div className={far ? 'canvas zoomed-out' : 'canvas'} ref={wrapper} data-testid="canvas" onDragOver={onDragOver} onDrop={onDrop}>
      <ReactFlow<FlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onNodeDragStart={beginDrag}
        onNodeDragStop={endDrag}
        onSelectionDragStart={beginDrag}
        onSelectionDragStop={endDrag}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        snapToGrid={snapToGrid}
        snapGrid={SNAP}
        minZoom={0.05}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false}>
          <ControlButton onClick={() => useApp.getState().toggleSnap()} title={snapToGrid ? 'Snap to grid: on' : 'Snap to grid: off'} aria-pressed={snapToGrid} data-testid="btn-snap" className={snapToGrid ? 'on' : ''}>#</ControlButton>
          <ControlButton onClick={() => useApp.getState().toggleMinimap()} title={showMinimap ? 'Hide the minimap' : 'Show the minimap'} aria-pressed={showMinimap} data-testid="btn-minimap" className={showMinimap ? 'on' : ''}>▣</ControlButton>
        </Controls>
        {showMinimap && <MiniMap pannable zoomable nodeStrokeWidth={3} />}
      </ReactFlow>
    </div>
  );
}
