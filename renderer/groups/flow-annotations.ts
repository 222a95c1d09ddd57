/**
 * Notes and groups as React Flow nodes beside the workflow's cards. Their flow ids carry a prefix
 * (`note:`, `group:`) that no node id can have, so the canvas tells them apart. A group's frame is
 * computed from its members' places and measured sizes (the file stores none); a collapsed group
 * hides its members, and the edges that touch them end on the group's compact frame instead.
 */
import type { Edge, Node, NodeChange } from '@xyflow/react';
import type { Group, Note, WorkflowNode } from '../../shared/workflow.ts';
import { NOTE_SIZE } from '../store/annotations.ts';
import type { Dimensions } from '../canvas/flow-model.ts';
import { GROUP_IN, GROUP_OUT, type GroupFlowNode } from './GroupFrame.tsx';
import type { NoteFlowNode } from '../notes/NoteCard.tsx';

export const NOTE_PREFIX = 'note:';
export const GROUP_PREFIX = 'group:';

/** A card not measured yet is taken to be this big. */
const CARD: Dimensions = { width: 240, height: 96 };
const PAD = 20;
const HEAD = 34;
const COLLAPSED: Dimensions = { width: 260, height: 74 };

export type Box = { x: number; y: number; width: number; height: number };

/** Where a group's frame stands: around its members, or their top-left corner when collapsed. */
export function groupBox(
  group: Group,
  byId: ReadonlyMap<string, WorkflowNode>,
  measured: ReadonlyMap<string, Dimensions>,
): Box | null {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const id of group.nodes) {
    const n = byId.get(id);
    if (!n) continue;
    const d = measured.get(id) ?? CARD;
    x0 = Math.min(x0, n.position.x);
    y0 = Math.min(y0, n.position.y);
    x1 = Math.max(x1, n.position.x + d.width);
    y1 = Math.max(y1, n.position.y + d.height);
  }
  if (x0 === Infinity) return null;
  if (group.collapsed) return { x: x0, y: y0, ...COLLAPSED };
  return { x: x0 - PAD, y: y0 - PAD - HEAD, width: x1 - x0 + 2 * PAD, height: y1 - y0 + 2 * PAD + HEAD };
}

export function groupFlowNodes(
  groups: readonly Group[],
  nodes: readonly WorkflowNode[],
  measured: ReadonlyMap<string, Dimensions>,
  selected: string | null,
): GroupFlowNode[] {
  if (groups.length === 0) return [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return groups.flatMap((group) => {
    const box = groupBox(group, byId, measured);
    if (!box) return [];
    const id = GROUP_PREFIX + group.id;
    return [
      {
        id,
        type: 'groupFrame' as const,
        position: { x: box.x, y: box.y },
        width: box.width,
        height: box.height,
        // Given as measured too: React Flow drops a node's measured handles when a new object
        // without `measured` replaces it, and would not measure a frame whose size did not change.
        measured: { width: box.width, height: box.height },
        data: { group },
        selected: selected === id,
        dragHandle: '.group-head',
        className: group.collapsed ? 'group-node collapsed' : 'group-node',
        zIndex: group.collapsed ? 0 : -1,
      },
    ];
  });
}

const noteCache = new WeakMap<Note, { selected: boolean; flow: NoteFlowNode }>();

export function noteFlowNodes(notes: readonly Note[], selected: string | null): NoteFlowNode[] {
  return notes.map((note) => {
    const id = NOTE_PREFIX + note.id;
    const isSelected = selected === id;
    const hit = noteCache.get(note);
    if (hit && hit.selected === isSelected) return hit.flow;
    const size = note.size ?? NOTE_SIZE;
    const flow: NoteFlowNode = {
      id,
      type: 'note',
      position: note.position,
      width: size.width,
      height: size.height,
      measured: size,
      data: { note },
      selected: isSelected,
    };
    noteCache.set(note, { selected: isSelected, flow });
    return flow;
  });
}

export function isAnnotation(flowId: string): boolean {
  return flowId.startsWith(NOTE_PREFIX) || flowId.startsWith(GROUP_PREFIX);
}

/** The note's or group's own id and kind from its flow id. */
export function annotationOf(flowId: string): { kind: 'note' | 'group'; id: string } | null {
  if (flowId.startsWith(NOTE_PREFIX)) return { kind: 'note', id: flowId.slice(NOTE_PREFIX.length) };
  if (flowId.startsWith(GROUP_PREFIX)) return { kind: 'group', id: flowId.slice(GROUP_PREFIX.length) };
  return null;
}

export interface AnnotationEdits {
  moveNote(id: string, position: { x: number; y: number }): void;
  moveGroup(id: string, delta: { x: number; y: number }): void;
  selectAnnotation(a: { kind: 'note' | 'group'; id: string } | null): void;
}

/**
 * Applies React Flow's changes of notes and groups (moves, selection); answers the others. A
 * group's move becomes a move of its nodes by the distance its frame went.
 */
export function applyAnnotationChanges<T extends Node>(
  changes: readonly NodeChange<T>[],
  /** Where a group's frame stands now (by its flow id). */
  frameOf: (flowId: string) => { x: number; y: number } | null,
  edits: AnnotationEdits,
  selected: string | null,
): NodeChange<T>[] {
  const rest: NodeChange<T>[] = [];
  for (const c of changes) {
    const a = 'id' in c ? annotationOf(c.id) : null;
    if (!a) {
      rest.push(c);
      continue;
    }
    if (c.type === 'position' && c.position) {
      if (a.kind === 'note') edits.moveNote(a.id, c.position);
      else {
        const from = frameOf(c.id);
        if (from) edits.moveGroup(a.id, { x: Math.round(c.position.x - from.x), y: Math.round(c.position.y - from.y) });
      }
    } else if (c.type === 'select') {
      if (c.selected) edits.selectAnnotation(a);
      else if (selected === c.id) edits.selectAnnotation(null);
    }
  }
  return rest;
}

/**
 * Edges whose ends are hidden in a collapsed group end on the group's frame instead; edges inside
 * one collapsed group are left out. The same array when no group is collapsed.
 */
export function rerouteEdges(edges: Edge[], groups: readonly Group[]): Edge[] {
  const owner = new Map<string, string>();
  for (const g of groups) if (g.collapsed) for (const id of g.nodes) owner.set(id, GROUP_PREFIX + g.id);
  if (owner.size === 0) return edges;
  return edges.flatMap((e) => {
    const source = owner.get(e.source);
    const target = owner.get(e.target);
    if (!source && !target) return [e];
    if (source && source === target) return [];
    return [
      {
        ...e,
        id: `${e.id}@collapsed`,
        ...(source ? { source, sourceHandle: GROUP_OUT } : {}),
        ...(target ? { target, targetHandle: GROUP_IN } : {}),
        selectable: false,
      },
    ];
  });
}
