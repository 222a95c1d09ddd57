/**
 * Edits of sticky notes and groups (annotations.ts), each one undo step like any document edit;
 * and which note or group is selected, whose menu is open and which is being renamed (not undone).
 */
import {
  addNote,
  groupNodes,
  moveGroup,
  moveNote,
  noteToFront,
  removeNote,
  renameGroup,
  resizeNote,
  setGroupCollapsed,
  setNoteColor,
  setNoteText,
  ungroup,
  type Size,
} from './annotations.ts';
import type { Doc, Position } from './doc.ts';
import type { AnnotationColor } from '../../shared/workflow.ts';
import type { Slice } from './types.ts';

export interface AnnotationsSlice {
  /** The selected note or group, by kind and id; null when none is. */
  annotation: { kind: 'note' | 'group'; id: string } | null;
  selectAnnotation(annotation: { kind: 'note' | 'group'; id: string } | null): void;
  /** The group whose menu is open, at a point of the window. */
  groupMenu: { id: string; x: number; y: number } | null;
  openGroupMenu(menu: { id: string; x: number; y: number } | null): void;
  /** The group whose name field is shown. */
  renamingGroup: string | null;
  setRenamingGroup(id: string | null): void;
  /** The note whose text is being edited in place. */
  editingNote: string | null;
  setEditingNote(id: string | null): void;
  addNote(position: Position): string;
  setNoteText(id: string, text: string): void;
  setNoteColor(id: string, color: AnnotationColor): void;
  /** Draws the note over the other notes. */
  bringNoteToFront(id: string): void;
  moveNote(id: string, position: Position): void;
  resizeNote(id: string, size: Size): void;
  removeNote(id: string): void;
  /** Groups the selected nodes; returns the group's id, or null when no node is selected. */
  groupSelection(): string | null;
  ungroup(id: string): void;
  renameGroup(id: string, name: string): void;
  setGroupCollapsed(id: string, collapsed: boolean): void;
  moveGroup(id: string, delta: Position): void;
}

export const createAnnotationsSlice: Slice<AnnotationsSlice> = (set, get) => {
  const edit = (next: Doc) => {
    if (next !== get().doc) set({ doc: next });
  };
  return {
    annotation: null,
    selectAnnotation(annotation) {
      const cur = get().annotation;
      if (cur?.kind === annotation?.kind && cur?.id === annotation?.id) return;
      set({ annotation });
    },
    groupMenu: null,
    openGroupMenu: (groupMenu) => set({ groupMenu }),
    renamingGroup: null,
    setRenamingGroup: (renamingGroup) => set({ renamingGroup }),
    addNote(position) {
      const { doc, id } = addNote(get().doc, position);
      set({ doc, annotation: { kind: 'note', id }, selection: { nodes: [], edges: [] } });
      return id;
    },
    editingNote: null,
    setEditingNote: (editingNote) => set({ editingNote }),
    setNoteText: (id, text) => edit(setNoteText(get().doc, id, text)),
    setNoteColor: (id, color) => edit(setNoteColor(get().doc, id, color)),
    bringNoteToFront: (id) => edit(noteToFront(get().doc, id)),
    moveNote: (id, position) => edit(moveNote(get().doc, id, position)),
    resizeNote: (id, size) => edit(resizeNote(get().doc, id, size)),
    removeNote(id) {
      edit(removeNote(get().doc, id));
      if (get().annotation?.id === id) set({ annotation: null });
    },
    groupSelection() {
      const grouped = groupNodes(get().doc, get().selection.nodes);
      if (!grouped) return null;
      set({ doc: grouped.doc, annotation: { kind: 'group', id: grouped.id } });
      return grouped.id;
    },
    ungroup(id) {
      edit(ungroup(get().doc, id));
      if (get().annotation?.id === id) set({ annotation: null });
    },
    renameGroup: (id, name) => edit(renameGroup(get().doc, id, name)),
    setGroupCollapsed: (id, collapsed) => edit(setGroupCollapsed(get().doc, id, collapsed)),
    moveGroup: (id, delta) => edit(moveGroup(get().doc, id, delta)),
  };
};
