/** Keyboard shortcuts (Ctrl on Linux/Windows, Cmd on macOS) and the sheet that lists them. */
import { useApp } from '../store/index.ts';
import { installClipboard } from './edit.ts';
import { runCommand, type Command } from './index.ts';

export interface Shortcut {
  /** As shown on the sheet, with "Mod" for Ctrl/Cmd. */
  keys: string;
  label: string;
  command: Command | null;
  /** Which key event triggers it; null for shortcuts handled elsewhere (clipboard events, the canvas). */
  match: ((e: KeyboardEvent, mod: boolean) => boolean) | null;
  /** Also active while typing in a field. */
  inFields?: boolean;
  /** Also active while typing in an inspector field (they edit the document, so undo is the document's). */
  inInspector?: boolean;
}

const key =
  (k: string, opts: { shift?: boolean; mod?: boolean } = {}) =>
  (e: KeyboardEvent, mod: boolean) =>
    e.key.toLowerCase() === k && mod === (opts.mod ?? true) && e.shiftKey === (opts.shift ?? false) && !e.altKey;

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: 'Mod+N', label: 'New workflow', command: 'file.new', match: key('n'), inFields: true },
  { keys: 'Mod+O', label: 'Open…', command: 'file.open', match: key('o'), inFields: true },
  { keys: 'Mod+S', label: 'Save', command: 'file.save', match: key('s'), inFields: true },
  { keys: 'Mod+Shift+S', label: 'Save as…', command: 'file.saveAs', match: key('s', { shift: true }), inFields: true },
  { keys: 'Mod+I', label: 'Import Python…', command: 'file.importPython', match: key('i'), inFields: true },
  { keys: 'Mod+E', label: 'Export Python', command: 'file.exportPython', match: key('e'), inFields: true },
  {
    keys: 'Mod+Shift+E',
    label: 'Export SQL',
    command: 'file.exportSql',
    match: key('e', { shift: true }),
    inFields: true,
  },
  { keys: 'Mod+Z', label: 'Undo', command: 'edit.undo', match: key('z'), inInspector: true },
  {
    keys: 'Mod+Shift+Z / Mod+Y',
    label: 'Redo',
    command: 'edit.redo',
    match: (e, mod) => key('z', { shift: true })(e, mod) || key('y')(e, mod),
    inInspector: true,
  },
  { keys: 'Mod+C', label: 'Copy nodes (as workflow JSON)', command: null, match: null },
  { keys: 'Mod+X', label: 'Cut nodes', command: null, match: null },
  { keys: 'Mod+V', label: 'Paste nodes (also from another file)', command: null, match: null },
  { keys: 'Mod+D', label: 'Duplicate', command: 'edit.duplicate', match: key('d') },
  { keys: 'Mod+A', label: 'Select all', command: 'edit.selectAll', match: key('a') },
  { keys: 'Mod+G', label: 'Group the selected nodes', command: 'edit.group', match: key('g') },
  { keys: 'Mod+Shift+G', label: 'Ungroup', command: 'edit.ungroup', match: key('g', { shift: true }) },
  { keys: 'Mod+Shift+M', label: 'Add a sticky note', command: 'edit.addNote', match: key('m', { shift: true }) },
  {
    keys: 'Delete / Backspace',
    label: 'Delete selection',
    command: 'edit.delete',
    match: (e, mod) => !mod && (e.key === 'Delete' || e.key === 'Backspace'),
  },
  {
    keys: 'Mod+Enter',
    label: 'Plan',
    command: 'run.plan',
    match: (e, mod) => mod && !e.shiftKey && e.key === 'Enter',
    inFields: true,
  },
  {
    keys: 'Mod+Shift+Enter',
    label: 'Rehearse',
    command: 'run.rehearse',
    match: (e, mod) => mod && e.shiftKey && e.key === 'Enter',
    inFields: true,
  },
  { keys: 'Mod+Shift+L', label: 'Automatic layout', command: 'view.layout', match: key('l', { shift: true }) },
  {
    keys: 'Shift+1',
    label: 'Fit view',
    command: 'view.fit',
    match: (e, mod) => !mod && e.shiftKey && e.code === 'Digit1',
  },
  {
    keys: 'Mod+B',
    label: 'Show or hide the palette and schema',
    command: 'view.toggleLeft',
    match: key('b'),
    inFields: true,
  },
  {
    keys: 'Mod+Alt+B',
    label: 'Show or hide the inspector and SQL preview',
    command: 'view.toggleRight',
    match: (e, mod) => mod && e.altKey && !e.shiftKey && e.code === 'KeyB',
    inFields: true,
  },
  {
    keys: 'Mod+J',
    label: 'Show or hide the run panels',
    command: 'view.toggleBottom',
    match: key('j'),
    inFields: true,
  },
  {
    keys: 'Mod+Shift+M',
    label: 'Show or hide the minimap',
    command: 'view.toggleMinimap',
    match: key('m', { shift: true }),
  },
  { keys: 'Shift+drag', label: 'Box-select', command: null, match: null },
  { keys: '?', label: 'This sheet', command: 'view.shortcuts', match: (e, mod) => !mod && e.key === '?' },
];

export function isMac(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.platform);
}

export function shortcutLabel(keys: string): string {
  return keys.replace(/Mod/g, isMac() ? '⌘' : 'Ctrl');
}

/** True when the event comes from a field the user types in (shortcuts that edit nodes stay out of it). */
export function isEditing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.closest !== 'function') return false;
  return el.isContentEditable || el.closest('input, textarea, select, [contenteditable="true"], .cm-editor') !== null;
}

/** Installs the keyboard and clipboard handlers on the document. */
export function installShortcuts(): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing) return;
    const mod = isMac() ? e.metaKey : e.ctrlKey;
    const editing = isEditing(e.target);
    const dialogOpen = useApp.getState().dialog !== null;
    for (const s of SHORTCUTS) {
      if (!s.match || !s.command || !s.match(e, mod)) continue;
      const allowed =
        !editing || s.inFields || (s.inInspector && (e.target as HTMLElement).closest('.inspector') !== null);
      if (!allowed || (dialogOpen && s.command !== 'file.save')) return;
      e.preventDefault();
      runCommand(s.command);
      return;
    }
  };
  window.addEventListener('keydown', onKey);
  const removeClipboard = installClipboard(isEditing);
  return () => {
    window.removeEventListener('keydown', onKey);
    removeClipboard();
  };
}
