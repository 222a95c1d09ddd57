/**
 * Sticky notes and named groups of the document, edited with pure functions like doc.ts (each
 * change a new Doc, so undo covers them). A group's place is its members' place: moving a group
 * moves its nodes; a node belongs to one group at most (shared/workflow.ts checks both).
 */
import type { AnnotationColor, Group, Note } from '../../shared/workflow.ts';
import { moveNodes, uniqueId, type Doc, type Position } from './doc.ts';

export type Size = { width: number; height: number };

export const NOTE_SIZE: Size = { width: 240, height: 160 };

const NEW_NOTE_TEXT = '**Note**\n\nDouble-click to edit. Markdown: `code`, *emphasis*, lists.';

function annotationIds(doc: Doc): Set<string> {
  return new Set([...doc.notes.map((n) => n.id), ...doc.groups.map((g) => g.id)]);
}

export function addNote(doc: Doc, position: Position, text = NEW_NOTE_TEXT): { doc: Doc; id: string } {
  const id = uniqueId(annotationIds(doc), 'note');
  const note: Note = { id, text, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { doc: { ...doc, notes: [...doc.notes, note] }, id };
}

function mapNote(doc: Doc, id: string, fn: (n: Note) => Note): Doc {
  let changed = false;
  const notes = doc.notes.map((n) => {
    if (n.id !== id) return n;
    const next = fn(n);
    changed ||= next !== n;
    return next;
  });
  return changed ? { ...doc, notes } : doc;
}

export function setNoteText(doc: Doc, id: string, text: string): Doc {
  return mapNote(doc, id, (n) => (n.text === text ? n : { ...n, text }));
}

export function resizeNote(doc: Doc, id: string, size: Size): Doc {
  const width = Math.round(size.width);
  const height = Math.round(size.height);
  return mapNote(doc, id, (n) =>
    n.size?.width === width && n.size.height === height ? n : { ...n, size: { width, height } },
  );
}

export function moveNote(doc: Doc, id: string, position: Position): Doc {
  const p = { x: Math.round(position.x), y: Math.round(position.y) };
  return mapNote(doc, id, (n) => (n.position.x === p.x && n.position.y === p.y ? n : { ...n, position: p }));
}

/** Sets a note's colour; yellow, the default, is written as no `color` key. */
export function setNoteColor(doc: Doc, id: string, color: AnnotationColor): Doc {
  return mapNote(doc, id, (n) => {
    if ((n.color ?? 'yellow') === color) return n;
    const { color: _, ...rest } = n;
    return color === 'yellow' ? rest : { ...rest, color };
  });
}

/** Puts the note last, so that it is drawn over the other notes. */
export function noteToFront(doc: Doc, id: string): Doc {
  const note = doc.notes.find((n) => n.id === id);
  if (!note || doc.notes.at(-1) === note) return doc;
  return { ...doc, notes: [...doc.notes.filter((n) => n !== note), note] };
}

export function removeNote(doc: Doc, id: string): Doc {
  const notes = doc.notes.filter((n) => n.id !== id);
  return notes.length === doc.notes.length ? doc : { ...doc, notes };
}

/**
 * Groups the nodes `ids` (those of the document) under `name`; a node already in another group
 * leaves it, and a group left empty goes. Null when none of the ids is a node.
 */
export function groupNodes(doc: Doc, ids: readonly string[], name?: string): { doc: Doc; id: string } | null {
  const wanted = new Set(ids);
  const members = doc.nodes.filter((n) => wanted.has(n.id)).map((n) => n.id);
  if (members.length === 0) return null;
  const taken = new Set(members);
  const groups = doc.groups.flatMap((g) => {
    if (!g.nodes.some((m) => taken.has(m))) return [g];
    const rest = g.nodes.filter((m) => !taken.has(m));
    return rest.length > 0 ? [{ ...g, nodes: rest }] : [];
  });
  const id = uniqueId(annotationIds(doc), 'group');
  const group: Group = { id, name: name ?? `Group ${doc.groups.length + 1}`, nodes: members };
  return { doc: { ...doc, groups: [...groups, group] }, id };
}

/** Removes the group; its nodes stay where they are. */
export function ungroup(doc: Doc, id: string): Doc {
  const groups = doc.groups.filter((g) => g.id !== id);
  return groups.length === doc.groups.length ? doc : { ...doc, groups };
}

function mapGroup(doc: Doc, id: string, fn: (g: Group) => Group): Doc {
  let changed = false;
  const groups = doc.groups.map((g) => {
    if (g.id !== id) return g;
    const next = fn(g);
    changed ||= next !== g;
    return next;
  });
  return changed ? { ...doc, groups } : doc;
}

export function renameGroup(doc: Doc, id: string, name: string): Doc {
  const clean = name.trim().slice(0, 200);
  return mapGroup(doc, id, (g) => (clean === '' || g.name === clean ? g : { ...g, name: clean }));
}

/** Collapses or expands a group; an expanded group carries no `collapsed` key. */
export function setGroupCollapsed(doc: Doc, id: string, collapsed: boolean): Doc {
  return mapGroup(doc, id, (g) => {
    if ((g.collapsed ?? false) === collapsed) return g;
    const { collapsed: _, ...rest } = g;
    return collapsed ? { ...rest, collapsed: true } : rest;
  });
}

/** Moves every node of the group by `delta`. */
export function moveGroup(doc: Doc, id: string, delta: Position): Doc {
  const group = doc.groups.find((g) => g.id === id);
  if (!group || (delta.x === 0 && delta.y === 0)) return doc;
  const members = new Set(group.nodes);
  const positions = new Map<string, Position>();
  for (const n of doc.nodes)
    if (members.has(n.id)) positions.set(n.id, { x: n.position.x + delta.x, y: n.position.y + delta.y });
  return moveNodes(doc, positions);
}

/** The ids of nodes hidden in collapsed groups. */
export function collapsedMembers(groups: readonly Group[]): Set<string> {
  return new Set(groups.filter((g) => g.collapsed).flatMap((g) => g.nodes));
}
