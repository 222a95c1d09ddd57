/**
 * The commands on one node (the single selected one): its run actions (node-runs.ts), duplicate,
 * disable / enable, show its SQL, show what it did; and opening the right-click menu or the node
 * search from the keyboard. The node's right-click menu lists these.
 */
import type { RunMode } from '../../shared/run.ts';
import { useApp } from '../store/index.ts';
import { viewportCentre, screenOf } from '../canvas/viewport.ts';
import { useOverlay } from '../menus/overlay-state.ts';
import { refreshPreview } from './runs.ts';
import { runPart, showExecution, type NodePart } from './node-runs.ts';
import { focusSql } from './sql-focus.ts';
import type { CommandDef } from './registry.ts';

/** The one selected node's id, or null. */
export function selectedNode(): string | null {
  const { nodes } = useApp.getState().selection;
  return nodes.length === 1 ? nodes[0]! : null;
}

const needsNode = () => (selectedNode() ? null : 'Select one node first');

/** Why a run of part of the workflow (a node's, a group's) cannot start now, or null. */
export function partRunBlocked(mode: RunMode): string | null {
  const s = useApp.getState();
  if (s.run.phase === 'starting' || s.run.phase === 'running') return 'A run is going: wait for it, or cancel it';
  const conn = s.connections.find((c) => c.id === s.connectionId);
  if (!conn) return 'Choose a connection in the toolbar first';
  if (mode === 'apply' && conn.readOnly) return `${conn.name} is read-only: apply is disabled on it`;
  return null;
}

const runBlocked = (mode: RunMode) => partRunBlocked(mode) ?? needsNode();

const PARTS: [NodePart, string][] = [
  ['from', 'Run from here'],
  ['only', 'Run this node only'],
];
const MODES: [RunMode, string][] = [
  ['plan', 'Plan'],
  ['rehearse', 'Rehearse'],
  ['apply', 'Apply…'],
];

/** `node.run.from.plan`... : a part of the workflow from the selected node, as a plan, rehearsal or apply. */
export const NODE_RUN_COMMANDS: CommandDef[] = PARTS.flatMap(([part, partTitle]) =>
  MODES.map(([mode, modeTitle]) => ({
    id: `node.run.${part}.${mode}`,
    title: `${partTitle}: ${modeTitle}`,
    group: 'Run' as const,
    unavailable: () => runBlocked(mode),
    run: () => runPart(selectedNode()!, part, mode),
  })),
);

/** Opens the right-click menu of the selection (a node, an edge, or the canvas) where it is. */
function openSelectionMenu(): void {
  const s = useApp.getState();
  const open = useOverlay.getState().openMenu;
  const node = selectedNode();
  const centre = viewportCentre();
  if (node) {
    const n = s.doc.nodes.find((x) => x.id === node)!;
    open({ kind: 'node', nodeId: node }, { ...screenOf(n.position), at: n.position });
  } else if (s.annotation?.kind === 'note') {
    const n = s.doc.notes.find((x) => x.id === s.annotation!.id)!;
    open({ kind: 'note', noteId: n.id }, { ...screenOf(n.position), at: n.position });
  } else if (s.selection.edges.length === 1) {
    open({ kind: 'edge', edgeId: s.selection.edges[0]! }, { ...screenOf(centre), at: centre });
  } else open({ kind: 'canvas' }, { ...screenOf(centre), at: centre });
}

export const NODE_COMMANDS: CommandDef[] = [
  {
    id: 'node.add',
    title: 'Add node…',
    group: 'Node',
    keys: 'Mod+Shift+A',
    match: (e, mod) => mod && e.shiftKey && e.key.toLowerCase() === 'a' && !e.altKey,
    run: () => {
      const at = viewportCentre();
      useOverlay.getState().openSearch({ kind: 'none' }, { ...screenOf(at), at });
    },
  },
  {
    id: 'node.menu',
    title: 'Open the menu of the selection',
    group: 'Node',
    keys: 'Shift+F10 / Menu',
    match: (e, mod) => !mod && (e.key === 'ContextMenu' || (e.shiftKey && e.key === 'F10')),
    run: openSelectionMenu,
  },
  {
    id: 'node.toggleDisabled',
    title: 'Disable / enable the node',
    group: 'Node',
    unavailable: needsNode,
    run: () => {
      const id = selectedNode()!;
      const s = useApp.getState();
      s.setDisabled(id, !s.doc.nodes.find((n) => n.id === id)?.disabled);
    },
  },
  {
    id: 'node.showSql',
    title: "Show the node's SQL",
    group: 'Node',
    unavailable: needsNode,
    run: () => {
      focusSql(selectedNode()!);
      useApp.getState().setRightTab('sql');
      void refreshPreview();
    },
  },
  {
    id: 'node.showExecution',
    title: 'Show what the node did (execution view)',
    group: 'Node',
    unavailable: needsNode,
    run: () => showExecution(selectedNode()!),
  },
  ...NODE_RUN_COMMANDS,
];
