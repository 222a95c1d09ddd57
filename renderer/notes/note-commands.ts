/**
 * The sticky note commands, on the selected note (a right click selects it): edit in place, a
 * colour of the theme's note palette, bring to front, delete. Listed by the registry, so the note's
 * menu, the palette and the shortcut sheet show the same names.
 */
import { ANNOTATION_COLORS, type AnnotationColor } from '../../shared/workflow.ts';
import type { CommandDef } from '../commands/registry.ts';
import { useApp } from '../store/index.ts';

export const NOTE_COLOR_NAMES: Record<AnnotationColor, string> = {
  yellow: 'Yellow',
  blue: 'Blue',
  green: 'Green',
  pink: 'Pink',
  grey: 'Grey',
};

function selectedNote(): string | null {
  const a = useApp.getState().annotation;
  return a?.kind === 'note' ? a.id : null;
}

const needsNote = () => (selectedNote() ? null : 'Select a note first');

const onNote = (fn: (id: string) => void) => () => {
  const id = selectedNote();
  if (id) fn(id);
};

export const NOTE_COMMANDS: CommandDef[] = [
  {
    id: 'note.edit',
    title: 'Edit the note',
    group: 'Group',
    unavailable: needsNote,
    run: onNote((id) => useApp.getState().setEditingNote(id)),
  },
  ...ANNOTATION_COLORS.map((color): CommandDef => ({
    id: `note.color.${color}`,
    title: `Note colour: ${NOTE_COLOR_NAMES[color]}`,
    group: 'Group',
    unavailable: needsNote,
    run: onNote((id) => useApp.getState().setNoteColor(id, color)),
  })),
  {
    id: 'note.toFront',
    title: 'Bring the note to front',
    group: 'Group',
    unavailable: needsNote,
    run: onNote((id) => useApp.getState().bringNoteToFront(id)),
  },
  {
    id: 'note.delete',
    title: 'Delete the note',
    group: 'Group',
    unavailable: needsNote,
    run: onNote((id) => useApp.getState().removeNote(id)),
  },
];
