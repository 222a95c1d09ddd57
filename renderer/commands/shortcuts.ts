/** The keyboard: runs the registry's commands by their keys (Ctrl on Linux/Windows, Cmd on macOS). */
import { useApp } from '../store/index.ts';
import { installClipboard } from './edit.ts';
import './index.ts';
import { allCommands, isMac, runCommand } from './registry.ts';

export { shortcutLabel } from './registry.ts';

/** What the mouse and keyboard do beyond the commands, for the shortcut sheet. */
export const GESTURES: readonly { keys: string; label: string }[] = [
  { keys: 'Shift+drag', label: 'Box-select' },
  { keys: 'Right click', label: 'The menu of a node, a connection or the canvas' },
  { keys: 'Drop a connection on the canvas', label: 'Search a node type to add there, connected' },
  { keys: 'Tab, Enter', label: 'Move between cards and connections on the canvas, select one' },
  { keys: 'Arrow keys', label: 'Move the selected cards' },
];

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
    for (const c of allCommands()) {
      if (!c.match?.(e, mod)) continue;
      const allowed =
        !editing || c.inFields || (c.inInspector && (e.target as HTMLElement).closest('.inspector') !== null);
      if (!allowed || (dialogOpen && !c.inDialogs)) return;
      e.preventDefault();
      runCommand(c.id);
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
