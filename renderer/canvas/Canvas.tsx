/**
 * The React Flow canvas over the document: drag types in from the palette, connect with
 * validation, select, box-select (Shift+drag), move (one undo step per drag), minimap, zoom
 * controls, snap to grid; sticky notes and group frames beside the cards (renderer/groups/). A
 * right click on a card, a connection or the canvas opens its menu, and a connection dropped on
 * empty canvas opens the node search (menus/). Deleting and the other shortcuts go through the
 * command registry.
 */
import { SCHEMA_MIME, droppedSchemaItem, schemaNodeParams } from '../panels/schema/schema-drag.ts';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type MouseEvent } from 'react';
import {
  Background,
  ControlButton,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore as useFlowStore,
  type Connection as FlowConnection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type OnConnectEnd,
} from '@xyflow/react';
import { useApp } from '../store/index.ts';
import { linkFromHandles } from '../store/edges.ts';
import { linkProblem, type Position } from '../store/doc.ts';
import type { WorkflowNode } from '../../shared/workflow.ts';
import { NodeCard } from '../nodes/NodeCard.tsx';
import { useOverlay, type MenuTarget } from '../menus/overlay-state.ts';
import { Overlays } from '../menus/Overlays.tsx';
import { FindBar } from '../find/FindBar.tsx';
import { StartScreen } from '../start/StartScreen.tsx';
import { idsHidden, zoomedOut } from '../nodes/detail.ts';
import {
  DRAW_IN_VIEW_FROM,
  createEdgeCache,
  createEdgeModelCache,
  toFlowNodes,
  type Dimensions,
} from './flow-model.ts';
import { readableFit, replacesAll, workflowBounds } from './initial-view.ts';
import { attachViewport } from './viewport.ts';
import { minimapFill, minimapStroke } from './minimap-colors.ts';
import { MINIMAP_ROOM, useMinimapRoom } from './minimap-room.ts';
import { collapsedMembers } from '../store/annotations.ts';
import { GroupMenu } from '../groups/GroupMenu.tsx';
import { runCommand } from '../commands/index.ts';
import {
  annotationContextMenu,
  annotationFill,
  annotationNodeTypes,
  cardChanges,
  useAnnotations,
  type CanvasNode,
} from '../groups/use-annotations.ts';

export const PALETTE_MIME = 'application/x-dataflow-node';

const nodeTypes = { workflow: NodeCard, ...annotationNodeTypes };
const SNAP: [number, number] = [20, 20];
const PROBE_CASE = '\u0000';
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 2;
/** Smaller than React Flow's 200x150, so that it covers less of the canvas. */
const MINIMAP_SIZE = { width: 160, height: 110 };
const PRO_OPTIONS = { hideAttribution: true };

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
  const flow = useReactFlow<CanvasNode>();
  const far = useFlowStore(zoomedOut);
  const farthest = useFlowStore(idsHidden);
  const wrapper = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<ReadonlyMap<string, Dimensions>>(() => new Map());
  const edgeCache = useMemo(() => createEdgeCache(), []);
  const edgeModelCache = useMemo(() => createEdgeModelCache(), []);
  const shownNodes = useRef<readonly WorkflowNode[]>([]);
  const minimapRoom = useMinimapRoom(wrapper);

  useEffect(() => {
    attachViewport(flow, wrapper.current);
    return () => attachViewport(null, null);
  }, [flow]);

  // A document just opened (or loaded before mounting): move to its fitted view before its cards
  // first render, so that they are created at the zoom they are seen in; an empty canvas keeps zoom 1.
  useEffect(() => {
    const prev = shownNodes.current;
    shownNodes.current = doc.nodes;
    const el = wrapper.current;
    const bounds = workflowBounds(doc.nodes);
    if (!el || !bounds || !replacesAll(prev, doc.nodes)) return;
    void flow.setViewport(readableFit(bounds, { width: el.clientWidth, height: el.clientHeight }));
  }, [flow, doc.nodes]);

  const selectedNodes = useMemo(() => new Set(selection.nodes), [selection.nodes]);
  const selectedEdges = useMemo(() => new Set(selection.edges), [selection.edges]);
  const hidden = useMemo(() => collapsedMembers(doc.groups), [doc.groups]);
  const inViewOnly = doc.nodes.length >= DRAW_IN_VIEW_FROM;
  const cards = useMemo(
    () => toFlowNodes(doc.nodes, selectedNodes, measured, hidden, inViewOnly),
    [doc.nodes, selectedNodes, measured, hidden, inViewOnly],
  );
  const edgeModels = edgeModelCache(doc);
  const cardEdges = useMemo(
    () => edgeCache(edgeModels, selectedEdges, runNodes),
    [edgeCache, edgeModels, selectedEdges, runNodes],
  );
  const { nodes, edges } = useAnnotations(cards, cardEdges, measured);
  const measuredRef = useRef(measured);
  measuredRef.current = measured;

  const onNodesChange = useCallback((all: NodeChange<CanvasNode>[]) => {
    const changes = cardChanges(all, measuredRef.current);
    const s = useApp.getState();
    const positions = new Map<string, Position>();
    const selects: { id: string; selected: boolean }[] = [];
    let dims: Map<string, Dimensions> | null = null;
    for (const c of changes) {
      if (c.type === 'position' && c.position)
        positions.set(c.id, { x: Math.round(c.position.x), y: Math.round(c.position.y) });
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
    if (problem) s.notify({ level: 'error', text: problem });
  }, []);

  /** A drop on a port the connection may not reach (a cycle, a duplicate): say why, since onConnect is not called. */
  const onConnectEnd = useCallback<OnConnectEnd>(
    (event, state) => {
      if (state.fromHandle && !state.toHandle && (event.target as Element).classList.contains('react-flow__pane')) {
        const { clientX: x, clientY: y } = 'changedTouches' in event ? event.changedTouches[0]! : event;
        const { nodeId, id, type } = state.fromHandle;
        useOverlay
          .getState()
          .openSearch(
            { kind: type === 'source' ? 'from' : 'to', nodeId, handle: id ?? null },
            { x, y, at: flow.screenToFlowPosition({ x, y }) },
          );
        return;
      }
      if (state.isValid !== false || !state.fromHandle || !state.toHandle) return;
      const [from, to] =
        state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      const link = linkFromHandles(from.nodeId, from.id ?? null, to.nodeId, to.id ?? null, PROBE_CASE);
      const problem = link
        ? linkProblem(useApp.getState().doc, link)
        : `Cannot connect ${from.nodeId} to ${to.nodeId}: these two ports do not fit together; drag from an output of ${from.nodeId} to an input of ${to.nodeId}`;
      if (problem) useApp.getState().notify({ level: 'error', text: problem });
    },
    [flow],
  );

  const isValidConnection = useCallback<IsValidConnection>((c) => {
    const link = linkFromHandles(c.source, c.sourceHandle ?? null, c.target, c.targetHandle ?? null, PROBE_CASE);
    return link !== null && linkProblem(useApp.getState().doc, link) === null;
  }, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(PALETTE_MIME) && !e.dataTransfer.types.includes(SCHEMA_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(PALETTE_MIME);
      const item = droppedSchemaItem(e.dataTransfer);
      if (!type && !item) return;
      e.preventDefault();
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      const at = { x: p.x - 110, y: p.y - 30 };
      // A table or column from the schema browser: a schema change on it, added as one undo step.
      if (item) useApp.getState().addNode('SchemaModificationNode', at, schemaNodeParams(item));
      else useApp.getState().addNode(type, at);
    },
    [flow],
  );

  const closeMenu = useCallback(() => useOverlay.getState().close(), []);
  const openMenu = useCallback(
    (e: MouseEvent | globalThis.MouseEvent, target: MenuTarget) => {
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      useOverlay.getState().openMenu(target, { x: e.clientX, y: e.clientY, at });
    },
    [flow],
  );
  const onNodeContextMenu = useCallback(
    (e: MouseEvent, node: CanvasNode) => {
      if (annotationContextMenu(e, node.id)) return;
      useApp.getState().select({ nodes: [node.id], edges: [] });
      openMenu(e, { kind: 'node', nodeId: node.id });
    },
    [openMenu],
  );
  const onEdgeContextMenu = useCallback(
    (e: MouseEvent, edge: { id: string }) => {
      useApp.getState().select({ nodes: [], edges: [edge.id] });
      openMenu(e, { kind: 'edge', edgeId: edge.id });
    },
    [openMenu],
  );
  const onPaneContextMenu = useCallback(
    (e: MouseEvent | globalThis.MouseEvent) => openMenu(e, { kind: 'canvas' }),
    [openMenu],
  );

  const minimapNodeColor = useCallback(
    (n: CanvasNode) => (n.type === 'workflow' ? minimapFill(n.data.type) : annotationFill(n)),
    [],
  );
  const minimapNodeStroke = useCallback(
    (n: CanvasNode) => minimapStroke(runNodes[n.id]?.status, selectedNodes.has(n.id)),
    [runNodes, selectedNodes],
  );

  const beginDrag = useCallback(() => useApp.getState().beginDrag(), []);
  const endDrag = useCallback(() => useApp.getState().endDrag(), []);

  return (
    <div
      className={far ? (farthest ? 'canvas zoomed-out ids-hidden' : 'canvas zoomed-out') : 'canvas'}
      ref={wrapper}
      data-testid="canvas"
      role="region"
      aria-label="Workflow canvas"
      onDragOver={onDragOver}
      onDrop={onDrop}
    >
      <ReactFlow<CanvasNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        isValidConnection={isValidConnection}
        onConnectEnd={onConnectEnd}
        onNodeContextMenu={onNodeContextMenu}
        onEdgeContextMenu={onEdgeContextMenu}
        onPaneContextMenu={onPaneContextMenu}
        onPaneClick={closeMenu}
        onNodeDragStart={beginDrag}
        onNodeDragStop={endDrag}
        onSelectionDragStart={beginDrag}
        onSelectionDragStop={endDrag}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        snapToGrid={snapToGrid}
        snapGrid={SNAP}
        minZoom={MIN_ZOOM}
        maxZoom={MAX_ZOOM}
        proOptions={PRO_OPTIONS}
        onlyRenderVisibleElements={inViewOnly}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false}>
          <ControlButton
            onClick={() => useApp.getState().toggleSnap()}
            title={snapToGrid ? 'Snap to grid: on' : 'Snap to grid: off'}
            aria-pressed={snapToGrid}
            data-testid="btn-snap"
            className={snapToGrid ? 'on' : ''}
          >
            #
          </ControlButton>
          <ControlButton
            onClick={() => useApp.getState().toggleMinimap()}
            title={
              !showMinimap
                ? 'Show the minimap'
                : minimapRoom
                  ? 'Hide the minimap'
                  : `Hide the minimap (hidden now: the canvas is smaller than ${MINIMAP_ROOM.width}x${MINIMAP_ROOM.height})`
            }
            aria-pressed={showMinimap}
            data-testid="btn-minimap"
            className={showMinimap ? 'on' : ''}
          >
            ▣
          </ControlButton>
          <ControlButton
            onClick={() => runCommand('edit.addNote')}
            title="Add a sticky note"
            data-testid="btn-add-note"
          >
            ✎
          </ControlButton>
          <ControlButton
            onClick={() => runCommand('edit.group')}
            title="Group the selected nodes"
            data-testid="btn-group"
          >
            ⬚
          </ControlButton>
        </Controls>
        {showMinimap && minimapRoom && (
          <MiniMap
            pannable
            zoomable
            nodeColor={minimapNodeColor}
            nodeStrokeColor={minimapNodeStroke}
            nodeStrokeWidth={14}
            style={MINIMAP_SIZE}
            ariaLabel="Minimap: each node in its category's colour, outlined by its run status"
          />
        )}
      </ReactFlow>
      <GroupMenu />
      <StartScreen />
      <FindBar />
      <Overlays />
    </div>
  );
}
