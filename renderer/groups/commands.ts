/** The note and group commands: add a note, group the selection, ungroup, delete a selected note. */
import { useApp } from '../store/index.ts';
import { nodeSizes, viewportCentre } from '../canvas/viewport.ts';
import { NOTE_SIZE } from '../store/annotations.ts';
import { cardBoxes, freeOffset } from '../store/free-spot.ts';
import { groupBox } from './flow-annotations.ts';

/** A new note near the middle of the view, clear of the cards, the other notes and the group frames (free-spot.ts); selected. */
export function addNoteHere(): void {
  const c = viewportCentre();
  const sizes = nodeSizes();
  const { doc } = useApp.getState();
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const taken = [
    ...cardBoxes(doc.nodes, sizes),
    ...doc.notes.map((n) => ({ ...n.position, ...(n.size ?? NOTE_SIZE) })),
    ...doc.groups.flatMap((g) => groupBox(g, byId, sizes) ?? []),
  ];
  const wanted = { x: c.x - NOTE_SIZE.width / 2, y: c.y - NOTE_SIZE.height / 2 };
  useApp.getState().addNote(freeOffset([{ x: 0, y: 0, ...NOTE_SIZE }], taken, wanted));
}

export function groupSelection(): void {
  const s = useApp.getState();
  if (s.groupSelection() === null)
    s.notify({ level: 'info', text: 'Select the nodes to group first (click, or Shift+drag to box-select).' });
}

/** The selected group, or the group of the first selected node. */
function currentGroup(): string | null {
  const s = useApp.getState();
  if (s.annotation?.kind === 'group') return s.annotation.id;
  const first = s.selection.nodes[0];
  return s.doc.groups.find((g) => first !== undefined && g.nodes.includes(first))?.id ?? null;
}

export function ungroupSelection(): void {
  const id = currentGroup();
  if (id) useApp.getState().ungroup(id);
}

/** Delete: a selected note goes, a selected group's frame goes (its nodes stay); else the selected nodes and edges. */
export function deleteSelection(): void {
  const s = useApp.getState();
  if (s.annotation?.kind === 'note') s.removeNote(s.annotation.id);
  else if (s.annotation?.kind === 'group') s.ungroup(s.annotation.id);
  else s.deleteSelection();
}
