/** What the canvas needs for notes and groups: their flow nodes and edges, their changes, their menu. */
import { useMemo, type MouseEvent } from 'react';
import type { Edge, NodeChange } from '@xyflow/react';
import { useApp } from '../store/index.ts';
import { useOverlay } from '../menus/overlay-state.ts';
import type { Dimensions } from '../canvas/flow-model.ts';
import type { FlowNode } from '../nodes/NodeCard.tsx';
import { NoteCard, type NoteFlowNode } from '../notes/NoteCard.tsx';
import { GroupFrame, type GroupFlowNode } from './GroupFrame.tsx';
import {
  GROUP_PREFIX,
  NOTE_PREFIX,
  annotationOf,
  applyAnnotationChanges,
  groupBox,
  groupFlowNodes,
  noteFlowNodes,
  rerouteEdges,
} from './flow-annotations.ts';

export type CanvasNode = FlowNode | NoteFlowNode | GroupFlowNode;

export const annotationNodeTypes = { note: NoteCard, groupFrame: GroupFrame };

function selectedFlowId(a: { kind: 'note' | 'group'; id: string } | null): string | null {
  return a ? (a.kind === 'note' ? NOTE_PREFIX : GROUP_PREFIX) + a.id : null;
}

/** The cards with the groups' frames behind them and the notes above; edges rerouted around collapsed groups. */
export function useAnnotations(
  cards: FlowNode[],
  edges: Edge[],
  measured: ReadonlyMap<string, Dimensions>,
): { nodes: CanvasNode[]; edges: Edge[] } {
  const doc = useApp((s) => s.doc);
  const selected = selectedFlowId(useApp((s) => s.annotation));
  const frames = useMemo(
    () => groupFlowNodes(doc.groups, doc.nodes, measured, selected),
    [doc.groups, doc.nodes, measured, selected],
  );
  const notes = useMemo(() => noteFlowNodes(doc.notes, selected), [doc.notes, selected]);
  const nodes = useMemo<CanvasNode[]>(
    () => (frames.length + notes.length === 0 ? cards : [...frames, ...cards, ...notes]),
    [frames, cards, notes],
  );
  const shownEdges = useMemo(() => rerouteEdges(edges, doc.groups), [edges, doc.groups]);
  return { nodes, edges: shownEdges };
}

/** Applies the changes of notes and groups (moves, selection) and answers the cards' changes. */
export function cardChanges(
  changes: NodeChange<CanvasNode>[],
  measured: ReadonlyMap<string, Dimensions>,
): NodeChange<FlowNode>[] {
  const s = useApp.getState();
  const frameOf = (flowId: string) => {
    const group = s.doc.groups.find((g) => GROUP_PREFIX + g.id === flowId);
    return group ? groupBox(group, new Map(s.doc.nodes.map((n) => [n.id, n])), measured) : null;
  };
  return applyAnnotationChanges(changes, frameOf, s, selectedFlowId(s.annotation)) as NodeChange<FlowNode>[];
}

/** A note or a group frame in the minimap: a pale fill that leaves the cards readable over it. */
export function annotationFill(n: NoteFlowNode | GroupFlowNode): string {
  // A note in its own colour, darkened (light theme) or lightened (dark) so that it stands out on the minimap.
  return n.type === 'note'
    ? `color-mix(in srgb, var(--note-${n.data.note.color ?? 'yellow'}) 65%, var(--fg))`
    : 'color-mix(in srgb, var(--accent) 12%, transparent)';
}

/** A right click on a group's frame opens its menu; on a note, selects it and opens its menu. True when it was one of them. */
export function annotationContextMenu(e: MouseEvent, flowId: string): boolean {
  const a = annotationOf(flowId);
  if (!a) return false;
  e.preventDefault();
  if (a.kind === 'group') useApp.getState().openGroupMenu({ id: a.id, x: e.clientX, y: e.clientY });
  else {
    useApp.getState().selectAnnotation(a);
    // The note's menu acts on the note, not on a canvas point.
    useOverlay.getState().openMenu({ kind: 'note', noteId: a.id }, { x: e.clientX, y: e.clientY, at: { x: 0, y: 0 } });
  }
  return true;
}
